/**
 * The connector's flags of `onshi terminal`: `--medinfo-user` must name a live viewer of the
 * terminal store (else the terminal does not start), `--retention-days` sets the purge's retention
 * (a req/done/ file older than it is gone after the start's purge); the first stdout line unchanged.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createUser } from '../station/station.start.ts';
import { createTestCentral, type TestCentral } from '../test/central.ts';
import { waitFor } from './connector.test-helpers.ts';

const main = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));
let central: TestCentral;
let root: string;
const children: ChildProcess[] = [];

before(async () => {
  central = await createTestCentral(1);
  await central.start();
  root = mkdtempSync(join(tmpdir(), 'onshi-connector-cli-'));
  await createUser(root, { login: 'clerk', role: 'clerk', password: 'clerk-password-1' });
  await createUser(root, { login: 'doctor.1', role: 'viewer', password: 'viewer-password-1' });
});
after(async () => {
  for (const child of children) child.kill('SIGTERM');
  await central.dispose();
  rmSync(root, { recursive: true, force: true });
});

const base = () => [
  'terminal',
  '--dir',
  root,
  '--central',
  central.url,
  '--client-cert',
  central.files.cert,
  '--client-key',
  central.files.key,
  '--ca',
  central.files.ca,
  '--ui-port',
  '0',
];

it('refuses to start for a --medinfo-user that is not a live viewer', () => {
  for (const [login, reason] of [
    ['nobody', /no such user/],
    ['clerk', /role clerk/],
  ] as const) {
    const run = spawnSync(process.execPath, [main, ...base(), '--medinfo-user', login], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.notEqual(run.status, 0, login);
    assert.match(run.stderr, /CONNECTOR_MEDINFO_USER_INVALID|医療情報閲覧者/, login);
    assert.match(run.stderr, reason, login);
    assert.equal(run.stdout, '', 'nothing started');
  }
  const zero = spawnSync(process.execPath, [main, ...base(), '--retention-days', '0'], { encoding: 'utf8' });
  assert.notEqual(zero.status, 0);
  assert.match(zero.stderr, /--retention-days must be a positive integer/);
});

it('starts with a viewer and --retention-days, purging req/done/ files older than that', async () => {
  const done = join(root, 'req', 'done');
  mkdirSync(done, { recursive: true });
  const old = join(done, 'OQSsiquc01req_old.xml');
  const recent = join(done, 'OQSsiquc01req_recent.xml');
  writeFileSync(old, '<old/>');
  writeFileSync(recent, '<recent/>');
  const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
  utimesSync(old, threeDaysAgo, threeDaysAgo);
  const args = [...base(), '--medinfo-user', 'doctor.1', '--retention-days', '2'];
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const first = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n', 1)[0]!);
    });
  });
  assert.equal(
    first,
    `onshi terminal watching ${join(root, 'req')} → ${join(root, 'res')} (central ${central.url})`,
  );
  await waitFor('old file purged', () => !existsSync(old));
  assert.ok(existsSync(recent));
});
