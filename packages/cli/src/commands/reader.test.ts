/**
 * `onshi reader` as a user starts it: the screen on a free port with the cards of a directory,
 * exit 0 on SIGTERM; bad usage exits 2. (The whole reader flow is in demo.e2e.test.ts.)
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const bin = new URL('../../bin/onshi.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'onshi-cli-reader-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('onshi reader', () => {
  it('serves the screen for the cards of a directory and stops on SIGTERM', async () => {
    const cards = join(dir, 'cards');
    mkdirSync(cards);
    writeFileSync(join(dir, 'token'), 'reader-token\n');
    const child = spawn(
      process.execPath,
      [
        bin,
        'reader',
        '--cards',
        cards,
        '--terminal',
        'http://127.0.0.1:9',
        '--token-file',
        join(dir, 'token'),
        '--port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = out.match(/onshi reader on (http:\/\/127\.0\.0\.1:\d+)\//);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html lang="ja">/);
    const list = await fetch(`${url}/api/cards`);
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), { cards: [] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('refuses bad usage (exit 2)', async () => {
    await assert.rejects(
      promisify(execFile)(process.execPath, [bin, 'reader', '--cards', dir]),
      (e: { code: number }) => e.code === 2,
    );
  });
});
