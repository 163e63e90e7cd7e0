import { loadConfigFromEnvironment, migrate, openStore, progressBar, seedStore } from '@onshi/central';
import { parseCommandArgs, positiveInteger } from '../args.ts';

const help = `usage: onshi seed --persons N [--seed S] [--store URL]

Fills the store with a synthetic population (deterministic from the seed): households, every
insurer kind, job changes, moves to 後期高齢者医療, 高齢受給者証, 限度額 and 特定疾病 certificates.
Seeding again appends another population. All data is synthetic.
  --persons N   how many persons (e.g. 1_000_000)
  --seed S      PRNG seed (default 1)
  --store URL   sqlite:<file> or postgres://… (default: ONSHI_STORE or sqlite:.onshi/central.db)
`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    argv,
    { persons: { type: 'string' }, seed: { type: 'string' }, store: { type: 'string' } },
    help,
  );
  const persons = positiveInteger(values.persons, 'persons', 10_000);
  const seed = positiveInteger(values.seed, 'seed', 1);
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const store = openStore(config.storeUrl);
  try {
    await migrate(store);
    const bar = progressBar({ label: 'seed', unit: 'persons' });
    const report = await seedStore(store, {
      persons,
      seed,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.done();
    process.stdout.write(
      `seeded ${report.persons.toLocaleString('en-US')} persons, ` +
        `${report.qualifications.toLocaleString('en-US')} qualifications, ${report.insurers} insurers ` +
        `in ${(report.milliseconds / 1000).toFixed(1)} s\n`,
    );
  } finally {
    await store.close();
  }
}
