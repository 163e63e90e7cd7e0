/**
 * `onshi terminal` with the terminal's own server: `user add` (password from a file and from
 * stdin), the first stdout line kept, the UI URL on the next one, a login through the UI API, the
 * reader token file created 0600, and a duplicate user refused.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestCentral, institution, type TestCentral } from '../test/central.ts';
import { http } from '../test/station.ts';

const main = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));
let central: TestCentral;
let root: string;
let child: ChildProcess | undefined;

before(async () => {
  central = await createTestCentral(1);
  await central.start();
  root = mkdtempSync(join(tmpdir(), 'onshi-terminal-cli-'));
});
after(async () => {
  child?.kill('SIGTERM');
  await central.dispose();
  rmSync(root, { recursive: true, force: true });
});

const onshi = (args: string[], input?: string) =>
  spawnSync(process.execPath, [main, ...args], { input, encoding: 'utf8' });

it('adds users, starts the UI beside the connector and lets them log in', async () => {
  const dir = join(root, 'terminal');
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, 'admin-password-1\n');
  const added = onshi([
    'terminal',
    'user',
    'add',
    '--dir',
    dir,
    '--login',
    'admin',
    '--role',
    'admin',
    '--password-file',
    passwordFile,
  ]);
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /user admin \(admin\) added/);
  const fromStdin = onshi(
    ['terminal', 'user', 'add', '--dir', dir, '--login', 'clerk', '--role', 'clerk'],
    'clerk-password-1\n',
  );
  assert.equal(fromStdin.status, 0, fromStdin.stderr);
  const again = onshi(
    ['terminal', 'user', 'add', '--dir', dir, '--login', 'clerk', '--role', 'clerk'],
    'clerk-password-2\n',
  );
  assert.equal(again.status, 1);
  assert.match(again.stderr, /TERMINAL_USER_EXISTS/);
  const badRole = onshi(
    ['terminal', 'user', 'add', '--dir', dir, '--login', 'x', '--role', 'root'],
    'password-123\n',
  );
  assert.equal(badRole.status, 2);

  const tokenFile = join(root, 'reader.token');
  const args = ['terminal', '--dir', dir, '--central', central.url, '--client-cert', central.files.cert];
  args.push(
    '--client-key',
    central.files.key,
    '--ca',
    central.files.ca,
    '--ui-port',
    '0',
    '--reader-token-file',
    tokenFile,
  );
  child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = await new Promise<string[]>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const all = out.split('\n');
      if (all.length > 2) resolve(all);
    });
    child!.on('exit', (code) => reject(new Error(`terminal exited early (${code})`)));
  });
  assert.match(lines[0]!, /^onshi terminal watching .*req → .*res \(central https:\/\/127\.0\.0\.1:\d+\)$/);
  const url = /UI on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(lines[1]!)?.[1];
  assert.ok(url, lines[1]);
  assert.match(lines[1]!, new RegExp(`institution ${institution}`));
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  const login = await http(new URL('api/login', url).toString(), {
    body: { login: 'clerk', password: 'clerk-password-1' },
  });
  assert.equal(login.status, 200, login.text);
  assert.equal(login.json().user.role, 'clerk');
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child!.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  child = undefined;
});
