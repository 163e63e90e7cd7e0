/**
 * The terminal's `.connector/` folder (state.db with request bytes, terminal.db with staff password
 * hashes and patients' names, the reader token) is the terminal user's only: created 0700, and an
 * existing folder with a wider mode is tightened.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { connectorDirs, createDirs } from '../connector/connector.writer.ts';
import { createUser } from './station.start.ts';

const root = mkdtempSync(join(tmpdir(), 'onshi-state-dir-'));
after(() => rmSync(root, { recursive: true, force: true }));
const mode = (path: string) => statSync(path).mode & 0o777;

it('creates .connector/ readable by the terminal user only', async () => {
  const dir = join(root, 'new');
  await createUser(dir, { login: 'admin', role: 'admin', password: 'admin-password-1' });
  assert.equal(mode(connectorDirs(dir).state), 0o700);
});

it('tightens an existing .connector/ that others could read', () => {
  const dirs = connectorDirs(join(root, 'old'));
  mkdirSync(dirs.state, { recursive: true });
  chmodSync(dirs.state, 0o755);
  createDirs(dirs);
  assert.equal(mode(dirs.state), 0o700);
});
