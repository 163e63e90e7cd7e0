/** Small helpers over `node:util` parseArgs shared by the subcommands. */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` against `options`; prints `help` and exits on --help; unknown flags → UsageError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, help: string) {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(help);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A positive integer flag, with `_` or `,` allowed as digit separators (1_000_000). */
export function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

/** A port flag (0 = any free port); `fallback` when the flag is absent. */
export function port(value: string | undefined, name: string, fallback: number): number;
export function port(value: string | undefined, name: string): number | undefined;
export function port(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 0 && n < 65_536)) throw new UsageError(`--${name} must be a port number`);
  return n;
}
