/**
 * The `onshi` command. Each subcommand lives in commands/<name>.ts and is loaded on demand.
 * Errors with a catalogue code are printed as `code: message` and exit 1; usage errors exit 2.
 */
import { isOnshiError } from '@onshi/core';
import { UsageError } from './args.ts';

interface Command {
  readonly summary: string;
  load(): Promise<{ run(argv: string[]): Promise<void> }>;
}

const commands: Record<string, Command> = {
  demo: {
    summary: 'seed a demo store (once) and start the central service',
    load: () => import('./commands/demo.ts'),
  },
  central: { summary: 'start the central service', load: () => import('./commands/central.ts') },
  migrate: { summary: 'apply the store migrations', load: () => import('./commands/migrate.ts') },
  seed: { summary: 'fill a store with a synthetic population', load: () => import('./commands/seed.ts') },
  import: { summary: 'import an insurer feed file (NDJSON)', load: () => import('./commands/import.ts') },
  ca: {
    summary: 'the common CA and the card PKI: create, issue, renew, revoke, CRL, cards',
    load: () => import('./commands/ca.ts'),
  },
  check: {
    summary: 'check a card against a running central service',
    load: () => import('./commands/check.ts'),
  },
  terminal: {
    summary: 'run the connector: answer request files in DIR/req into DIR/res through central',
    load: () => import('./commands/terminal.ts'),
  },
  disaster: {
    summary: 'disaster mode (operator): open, close, list declarations; locate institutions',
    load: () => import('./commands/disaster.ts'),
  },
  audit: { summary: 'verify the audit trail’s hash chain', load: () => import('./commands/audit.ts') },
  retention: {
    summary: 'run the retention purge once (central runs it on a schedule too)',
    load: () => import('./commands/retention.ts'),
  },
  reader: {
    summary: 'the face-auth card reader’s screen for a terminal (simulator)',
    load: () => import('./commands/reader.ts'),
  },
  portal: {
    summary: 'the portal for institutions and the operator console',
    load: () => import('./commands/portal.ts'),
  },
  subsidy: { summary: 'estimate a subsidy (補助金)', load: () => import('./commands/subsidy.ts') },
  card: {
    summary: 'check or register a virtual My Number card against central; import card links',
    load: () => import('./commands/card.ts'),
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `usage: onshi <command> [options]   (onshi <command> --help for its options)\n\n${lines.join('\n')}\n`;
}

const [name, ...rest] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (!command) {
  process.stderr.write(usage());
  process.exit(name === undefined || name === '--help' || name === 'help' ? 0 : 2);
}

try {
  await (await command.load()).run(rest);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`onshi ${name}: ${error.message}\n`);
    process.exit(2);
  }
  if (isOnshiError(error)) {
    process.stderr.write(`onshi ${name}: ${error.code}: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
