import { loadConfigFromEnvironment, openStore, verifyAuditChain } from '@onshi/central';
import { renderMessage } from '@onshi/core';
import { parseCommandArgs, UsageError } from '../args.ts';

const help = `usage: onshi audit verify [--store URL] [--json]

Walks the audit trail's hash chain in seq order. Prints the number of records and the head hash
when every record is intact (exit 0); otherwise the first broken record with its code
(AUDIT_RECORD_EDITED, AUDIT_RECORD_DELETED, AUDIT_RECORD_REORDERED, or AUDIT_PERSON_INDEX_MISMATCH
when the index by person behind patients' access logs disagrees with the chain) and exits 1.
  --store URL   sqlite:<file> or postgres://… (default: ONSHI_STORE or sqlite:.onshi/central.db)
`;

export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { store: { type: 'string' }, json: { type: 'boolean' } },
    help,
  );
  if (positionals[0] !== 'verify' || positionals.length !== 1) throw new UsageError('give: verify');
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const store = openStore(config.storeUrl);
  try {
    const verdict = await verifyAuditChain(store);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(verdict)}\n`);
    } else if (verdict.ok) {
      process.stdout.write(`audit chain intact: ${verdict.records} records, head ${verdict.headHash}\n`);
    } else {
      process.stdout.write(`${verdict.code}: ${renderMessage(verdict.code, { seq: verdict.seq })}\n`);
    }
    if (!verdict.ok) process.exitCode = 1;
  } finally {
    await store.close();
  }
}
