import { loadConfigFromEnvironment, openStore, runRetention } from '@onshi/central';
import { OnshiError } from '@onshi/core';
import { parseCommandArgs, UsageError } from '../args.ts';

const help = `usage: onshi retention run [--store URL] [--json]

Runs the retention purge once, for today (JST): qualifications lost more than 10 years ago (and
persons left with none, with their 照会番号, medical data and consents), medications older than
3 years, 特定健診 results older than 5 years, batch jobs past ONSHI_BATCH_RESULT_DAYS. Prints the
cut-off dates and what was deleted per kind. The central service also runs it every
ONSHI_RETENTION_INTERVAL_MINUTES; on PostgreSQL one process at a time (RETENTION_RUN_BUSY, exit 1,
when another is running it).
  --store URL   sqlite:<file> or postgres://… (default: ONSHI_STORE or sqlite:.onshi/central.db)
  --json        the report as one JSON object
`;

export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { store: { type: 'string' }, json: { type: 'boolean' } },
    help,
  );
  if (positionals[0] !== 'run' || positionals.length !== 1) throw new UsageError('give: run');
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const store = openStore(config.storeUrl);
  try {
    const report = await runRetention(store, { now: () => new Date() });
    if (report === undefined) throw new OnshiError('RETENTION_RUN_BUSY');
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const lines = [
      `qualifications lost before ${report.cutoff}: ${report.qualificationsDeleted} deleted`,
      `persons left without a qualification: ${report.personsDeleted} deleted`,
      `medications before ${report.medicationCutoff}: ${report.medicationsDeleted} deleted`,
      `特定健診 results before ${report.checkupCutoff}: ${report.checkupResultsDeleted} deleted`,
      `batch jobs past their result period: ${report.batchJobsDeleted} deleted`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
}
