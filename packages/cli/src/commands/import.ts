import { readFileSync } from 'node:fs';
import { createFeedService, loadConfigFromEnvironment, migrate, openStore } from '@onshi/central';
import { parseCommandArgs, UsageError } from '../args.ts';

const help = `usage: onshi import FILE [--file-id ID] [--store URL]
       onshi import claims FILE…     (レセプト電算 CSV; onshi import claims --help)
       onshi import checkups FILE…   (特定健診 XML; onshi import checkups --help)

Imports an insurer feed (NDJSON or CSV, packages/central/docs/insurer-feed.md) into the store in
one transaction. Importing the same file id again changes nothing; rejected rows are listed by line.
  --file-id ID  the file's id (required for CSV, which has no header line)
  --store URL   sqlite:<file> or postgres://… (default: ONSHI_STORE or sqlite:.onshi/central.db)
  --json        print the whole report as JSON
`;

export async function run(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === 'claims' || first === 'checkups') {
    const { runMedicalImport } = await import('./import-medical.ts');
    return runMedicalImport(first, rest);
  }
  const { values, positionals } = parseCommandArgs(
    argv,
    { store: { type: 'string' }, json: { type: 'boolean' }, 'file-id': { type: 'string' } },
    help,
  );
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) throw new UsageError('give exactly one feed file');
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const content = readFileSync(file);
  if (content.byteLength > config.maxFeedBytes) {
    throw new UsageError(`${file} is larger than ONSHI_MAX_FEED_BYTES (${config.maxFeedBytes})`);
  }
  const store = openStore(config.storeUrl);
  try {
    await migrate(store);
    const report = await createFeedService({ store, clock: { now: () => new Date() } }).importFile({
      content,
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(
        `${report.fileId}: ${report.rowsApplied} applied, ${report.rowsRejected} rejected of ${report.rowsTotal}` +
          `${report.duplicate ? ' (already imported; nothing changed)' : ''}\n`,
      );
      for (const r of report.rejected) process.stdout.write(`  line ${r.line}: ${r.code} ${r.message}\n`);
    }
    if (report.rowsRejected > 0) process.exitCode = 1;
  } finally {
    await store.close();
  }
}
