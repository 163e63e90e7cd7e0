import { readFileSync } from 'node:fs';
import { isOnshiError } from '@onshi/core';
import {
  estimateSubsidy,
  parseProgramme,
  type SubsidyInput,
  type SubsidyProgramme,
  seedProgramme,
  summariseEstimate,
} from '@onshi/portal';
import { parseCommandArgs, UsageError } from '../args.ts';

const help = `usage: onshi subsidy estimate --kind KIND --readers N --cost YEN
         --reader-applied-on YYYY-MM-DD --completed-on YYYY-MM-DD [options]

Estimates the オンライン資格確認関係補助金 (the subsidy for introducing online eligibility checks),
by the seed's programme unless --programme names another.
  --kind KIND                 hospital, clinic, dental, pharmacy, large-chain-pharmacy
                              (or a kind of the --programme)
  --readers N                 face-auth card readers introduced (0: none → nothing subsidised)
  --cost YEN                  the other costs (terminal PC, network, receipt computer / EMR
                              changes), tax included, whole yen (1_000_000 or 1,000,000 allowed)
  --reader-applied-on DATE    when the reader was applied for (needed when --readers > 0)
  --completed-on DATE         when the work was finished
  --subsidy-applied-on DATE   when the subsidy is applied for (checked against its deadline)
  --monthly-prescriptions N   pharmacies: the group's prescriptions a month
  --programme FILE            a programme in JSON (format onshi-subsidy-programme/1)
  --json                      print one JSON object: subsidy (yen) and how it was reached
Bad input exits 2. A missed deadline or no reader is an answer: subsidy 0 with the reason.
`;

const flags: Record<string, string> = {
  kind: '--kind',
  readers: '--readers',
  costYen: '--cost',
  readerAppliedOn: '--reader-applied-on',
  completedOn: '--completed-on',
  subsidyAppliedOn: '--subsidy-applied-on',
  monthlyPrescriptions: '--monthly-prescriptions',
};

/** Digits with `_` or `,` separators → a number; anything else → NaN (refused by the estimate). */
function amount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return /^-?\d[\d_,]*$/.test(value) ? Number(value.replaceAll(/[_,]/g, '')) : Number.NaN;
}

function programmeFrom(file: string | undefined): SubsidyProgramme {
  if (file === undefined) return seedProgramme;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read --programme ${file}: ${error instanceof Error ? error.message : error}`,
    );
  }
  return parseProgramme(text);
}

export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      kind: { type: 'string' },
      readers: { type: 'string' },
      cost: { type: 'string' },
      'reader-applied-on': { type: 'string' },
      'completed-on': { type: 'string' },
      'subsidy-applied-on': { type: 'string' },
      'monthly-prescriptions': { type: 'string' },
      programme: { type: 'string' },
      json: { type: 'boolean' },
    },
    help,
  );
  if (positionals[0] !== 'estimate' || positionals.length > 1) {
    throw new UsageError('usage: onshi subsidy estimate --kind KIND --readers N --cost YEN … (see --help)');
  }
  const missing = ['kind', 'readers', 'cost', 'completed-on'].filter(
    (f) => values[f as 'kind'] === undefined,
  );
  if (missing.length > 0) throw new UsageError(`estimate needs ${missing.map((f) => `--${f}`).join(', ')}`);
  const input: SubsidyInput = {
    kind: values.kind!,
    readers: amount(values.readers)!,
    costYen: amount(values.cost)!,
    readerAppliedOn: values['reader-applied-on'],
    completedOn: values['completed-on']!,
    subsidyAppliedOn: values['subsidy-applied-on'],
    monthlyPrescriptions: amount(values['monthly-prescriptions']),
  };
  try {
    const estimate = estimateSubsidy(programmeFrom(values.programme), input);
    process.stdout.write(
      values.json ? `${JSON.stringify(estimate, null, 2)}\n` : summariseEstimate(estimate),
    );
  } catch (error) {
    if (!isOnshiError(error) || !error.code.startsWith('SUBSIDY_')) throw error;
    const flag = flags[String(error.params.field)];
    throw new UsageError(`${flag === undefined ? '' : `${flag}: `}${error.code}: ${error.message}`);
  }
}
