/**
 * Starts the server under test (`server.ts`) in its own process, so that the load generator does
 * not share its event loop, and waits for the JSON line `{ "url": … }` it prints when it listens.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Server {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** `cpuProfileDir`: run it under `node --cpu-prof`, writing the profile there on exit. */
export async function startServer(args: string[], cpuProfileDir: string | undefined): Promise<Server> {
  const nodeArgs = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, new URL('./server.ts', import.meta.url).pathname, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
