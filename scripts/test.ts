/**
 * The test command (`npm test`): lint and format check, type check, then every test file — unit
 * tests and the integration tests that run on both SQLite and PostgreSQL — with Node's test runner.
 *
 * PostgreSQL: the integration tier uses ONSHI_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and creates a throw-away database per test file.
 * It is required, not optional: `.ci/run` starts a server when none is running.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Tools from node_modules/.bin, so that the script also works when run without npm. */
const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

function run(label: string, command: string, args: string[]): void {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stdout.write(`\n${label} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

const only = process.argv.slice(2);
if (only.length === 0) {
  run('lint and format (biome)', bin('biome'), ['check', '.']);
  run('type check (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
}
run('tests (node --test)', process.execPath, [
  '--test',
  '--test-concurrency=4',
  '--test-timeout=300000',
  ...(only.length > 0 ? only : ['packages/*/src/**/*.test.ts']),
]);
