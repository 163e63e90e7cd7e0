import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadConfigFromEnvironment,
  migrate,
  openStore,
  progressBar,
  type Store,
  seedMedical,
  seedStore,
} from '@onshi/central';
import { parseCommandArgs, positiveInteger } from '../args.ts';

const help = `usage: onshi seed --persons N [--seed S] [--store URL]

Fills the store with a synthetic population (deterministic from the seed): households, every
insurer kind, job changes, moves to 後期高齢者医療, 高齢受給者証, 限度額 and 特定疾病 certificates.
Seeding again appends another population. All data is synthetic.
  --persons N   how many persons (e.g. 1_000_000)
  --seed S      PRNG seed (default 1)
  --store URL   sqlite:<file> or postgres://… (default: ONSHI_STORE or sqlite:.onshi/central.db)
  --medical     then generate claims (レセ電 CSV, CP932) and 特定健診 XML files for the first persons
                of the store and import them through the feed parsers (synthetic drug master included)
  --medical-only            only the medical step, for persons already in the store
  --medical-persons N       persons to generate medical files for (default 1,000)
  --medical-out DIR         also write the generated files to DIR
`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    argv,
    {
      persons: { type: 'string' },
      seed: { type: 'string' },
      store: { type: 'string' },
      medical: { type: 'boolean' },
      'medical-only': { type: 'boolean' },
      'medical-persons': { type: 'string' },
      'medical-out': { type: 'string' },
    },
    help,
  );
  const persons = positiveInteger(values.persons, 'persons', 10_000);
  const seed = positiveInteger(values.seed, 'seed', 1);
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const store = openStore(config.storeUrl);
  try {
    await migrate(store);
    const medical = {
      persons: positiveInteger(values['medical-persons'], 'medical-persons', 1000),
      seed,
      out: values['medical-out'],
    };
    if (values['medical-only']) return await seedMedicalFiles(store, medical);
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
    if (values.medical) await seedMedicalFiles(store, medical);
  } finally {
    await store.close();
  }
}

async function seedMedicalFiles(
  store: Store,
  options: { persons: number; seed: number; out: string | undefined },
): Promise<void> {
  const out = options.out;
  if (out !== undefined) mkdirSync(out, { recursive: true });
  const report = await seedMedical(store, {
    clock: { now: () => new Date() },
    seed: options.seed,
    persons: options.persons,
    ...(out === undefined ? {} : { onFile: (file) => writeFileSync(join(out, file.name), file.content) }),
  });
  process.stdout.write(
    `medical: ${report.claimFiles} claims files (${report.medications} medications), ` +
      `${report.checkupFiles} 特定健診 files (${report.checkupItems} items) for ${report.persons} persons ` +
      `in ${(report.milliseconds / 1000).toFixed(1)} s\n`,
  );
}
