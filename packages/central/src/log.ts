/**
 * A minimal structured logger: one JSON object per line on stderr. Values passed in `fields` must
 * never include secrets or personal data; config values are not logged.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  options: { quiet?: boolean } = {},
): Logger {
  const emit = (level: string, message: string, fields?: Record<string, unknown>) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  return {
    info: (message, fields) => {
      if (!options.quiet) emit('info', message, fields);
    },
    error: (message, fields) => emit('error', message, fields),
  };
}
