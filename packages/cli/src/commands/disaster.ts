import {
  createAuditLog,
  createDisasterService,
  loadConfigFromEnvironment,
  migrate,
  openStore,
} from '@onshi/central';
import { parseCommandArgs, UsageError } from '../args.ts';

const help = `usage: onshi disaster <open|close|list|locate> [options] [--store URL]

Disaster mode (災害時) as the operator runs it, on the store directly.
  open --name NAME --municipalities 172049,17205 --from ISO --until ISO
                 declare it for municipalities (5 digits, or 6 with the check digit) and a period;
                 it closes by itself at --until (times with an offset, e.g. 2024-01-01T16:10+09:00)
  close ID       close a declaration before the end of its period
  list           every declaration, with whether it is open now
  locate INSTITUTION MUNICIPALITY
                 register the municipality an institution (医療機関コード) is located in
  --store URL    sqlite:<file> or postgres://… (default: ONSHI_STORE or sqlite:.onshi/central.db)
  --json         print JSON
`;

function instantOf(text: string | undefined, name: string): Date {
  const at = new Date(text ?? '');
  if (text === undefined || !/(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(at.getTime())) {
    throw new UsageError(`--${name} must be an ISO 8601 time with an offset`);
  }
  return at;
}

const fmt = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());

export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      store: { type: 'string' },
      json: { type: 'boolean' },
      name: { type: 'string' },
      municipalities: { type: 'string' },
      from: { type: 'string' },
      until: { type: 'string' },
    },
    help,
  );
  const [action, ...args] = positionals;
  const config = loadConfigFromEnvironment({ ONSHI_STORE: values.store });
  const store = openStore(config.storeUrl);
  const clock = { now: () => new Date() };
  const service = createDisasterService({ store, clock, audit: createAuditLog({ store, clock }) });
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  try {
    await migrate(store);
    if (action === 'open') {
      if (values.name === undefined || values.municipalities === undefined) {
        throw new UsageError('open needs --name and --municipalities');
      }
      const d = await service.open({
        name: values.name,
        municipalities: values.municipalities.split(',').map((m) => m.trim()),
        startsAt: values.from === undefined ? clock.now() : instantOf(values.from, 'from'),
        endsAt: instantOf(values.until, 'until'),
      });
      print(
        d,
        `declaration ${d.declarationId} open from ${fmt(d.startsAt)} until ${fmt(d.endsAt)} for ${d.municipalities.join(' ')}`,
      );
    } else if (action === 'close') {
      const id = Number(args[0]);
      if (!Number.isSafeInteger(id)) throw new UsageError('close needs a declaration id');
      const d = await service.close(id);
      print(d, `declaration ${d.declarationId} closed at ${fmt(d.closedAt)}`);
    } else if (action === 'list') {
      const list = await service.list();
      const lines = list.map(
        (d) =>
          `${d.declarationId}\t${d.open ? 'open' : 'closed'}\t${fmt(d.startsAt)}\t${fmt(d.closedAt ?? d.endsAt)}\t${d.municipalities.join(',')}\t${d.name}`,
      );
      print(list, lines.length === 0 ? 'no declarations' : lines.join('\n'));
    } else if (action === 'locate') {
      const [institution, municipality] = args;
      if (institution === undefined || municipality === undefined) {
        throw new UsageError('locate needs INSTITUTION MUNICIPALITY');
      }
      const located = await service.locate(institution, municipality);
      print(located, `${located.institutionCode} is in ${located.municipality}`);
    } else {
      throw new UsageError('give open, close, list or locate');
    }
  } finally {
    await store.close();
  }
}
