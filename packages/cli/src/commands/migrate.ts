import { loadConfigFromEnvironment, migrate, openStore } from '@onshi/central';
import { parseCommandArgs } from '../args.ts';

const help = `usage: onshi migrate [--store URL]

Applies the pending schema migrations (safe to run again).
  --store URL   sqlite:<file> or postgres://… (default: ONSHI_STORE or sqlite:.onshi/central.db)
`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { store: { type: 'string' } }, help);
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const store = openStore(config.storeUrl);
  try {
    const report = await migrate(store);
    process.stdout.write(
      report.applied.length === 0
        ? `schema is current (version ${report.version})\n`
        : `applied migrations ${report.applied.join(', ')}; schema version ${report.version}\n`,
    );
  } finally {
    await store.close();
  }
}
