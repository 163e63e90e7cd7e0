/**
 * `onshi reader`: the face-auth card reader's screen (the patient's side) for a terminal, on its own
 * — the demo starts one inside `onshi demo`. The reader talks to the terminal only over the reader
 * channel (docs/decisions/0004-terminal-and-reader.md) with the terminal's reader token.
 */
import { startReader } from '@onshi/reader';
import { parseCommandArgs, port, UsageError } from '../args.ts';
import { waitForShutdown } from '../shutdown.ts';

const help = `usage: onshi reader --cards DIR --terminal URL --token-file FILE [--port P]

The 顔認証付きカードリーダー simulator: the patient's touch screen on http://127.0.0.1:P/ (default
8082; 0 = any free port). It holds the virtual My Number cards of DIR (*.card.json, e.g. the
demo's .onshi/cards or those of 'onshi ca issue-card'), talks to them only in APDUs, and to the
terminal (its staff UI URL, e.g. http://127.0.0.1:8081) over the reader channel with the token in
FILE (the terminal's DIR/.connector/reader-token). Runs until SIGTERM.
`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    argv,
    {
      cards: { type: 'string' },
      terminal: { type: 'string' },
      'token-file': { type: 'string' },
      port: { type: 'string' },
    },
    help,
  );
  if (!values.cards) throw new UsageError('--cards DIR is required');
  if (!values.terminal) throw new UsageError('--terminal URL is required');
  if (!values['token-file']) throw new UsageError('--token-file FILE is required');
  const reader = await startReader({
    port: port(values.port, 'port', 8082),
    cardsDir: values.cards,
    terminalUrl: values.terminal,
    tokenFile: values['token-file'],
  });
  process.stdout.write(`onshi reader on ${reader.url}/ (terminal ${values.terminal})\n`);
  await waitForShutdown(() => reader.close());
}
