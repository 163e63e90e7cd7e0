/**
 * `onshi import claims FILE…` and `onshi import checkups FILE…`: medical information files into the
 * store (packages/central/src/medical/README.md). Each file in its own transaction; a file with
 * any problem is rejected whole and its problems are listed by line; the exit code is 1 when any
 * file was rejected.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  importCheckupFile,
  importClaimFile,
  loadConfigFromEnvironment,
  type MedicalImportReport,
  migrate,
  openStore,
} from '@onshi/central';
import { parseCommandArgs, UsageError } from '../args.ts';

const help = `usage: onshi import claims FILE… [--store URL] [--json]
       onshi import checkups FILE… [--store URL] [--json]

claims:   レセプト電算処理システム CSV files (Shift_JIS/CP932; 医科 from IR, 調剤 from YK) → medication history
checkups: 特定健診 XML files (HL7 CDA, one examination each) → check-up results
Each file is imported in one transaction under its file name as id; the same content again changes
nothing. A file with any problem is rejected whole, with every problem listed by line.
  --store URL   sqlite:<file> or postgres://… (default: ONSHI_STORE or sqlite:.onshi/central.db)
  --json        print the reports as JSON
`;

export async function runMedicalImport(kind: 'claims' | 'checkups', argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { store: { type: 'string' }, json: { type: 'boolean' } },
    help,
  );
  if (positionals.length === 0) throw new UsageError(`give one or more ${kind} files`);
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const store = openStore(config.storeUrl);
  const clock = { now: () => new Date() };
  const reports: MedicalImportReport[] = [];
  try {
    await migrate(store);
    for (const file of positionals) {
      const content = readFileSync(file);
      if (content.byteLength > config.maxFeedBytes) {
        throw new UsageError(`${file} is larger than ONSHI_MAX_FEED_BYTES (${config.maxFeedBytes})`);
      }
      const input = { fileId: basename(file), content, clock };
      const report =
        kind === 'claims' ? await importClaimFile(store, input) : await importCheckupFile(store, input);
      reports.push(report);
      if (!values.json) printReport(file, report);
    }
  } finally {
    await store.close();
  }
  if (values.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  if (reports.some((r) => !r.accepted)) process.exitCode = 1;
}

function printReport(file: string, report: MedicalImportReport): void {
  const state = !report.accepted
    ? 'rejected'
    : report.duplicate
      ? 'already imported; nothing changed'
      : 'imported';
  process.stdout.write(`${file}: ${state}, ${report.rows} rows\n`);
  for (const p of report.problems) process.stdout.write(`  line ${p.line}: ${p.code} ${p.message}\n`);
}
