/**
 * `kill -9` during a burst: the connector runs as a child process (`onshi terminal`), a burst of
 * request files is dropped, the process is SIGKILLed several times mid-burst and restarted. A
 * consumer takes results out of res/ as they appear (as an EMR does), so a result written twice
 * would be seen twice. Every request must be answered exactly once, completely, with its own answer.
 * Files come in bursts of 100, so that the connector works in batches (intake, dispatch, answers,
 * the writer's steps) when it is killed; connector.recovery.int.test.ts lays out each state of the
 * crash table by hand.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeMessage, qualificationConfirmResultSchema } from '@onshi/core';
import { createTestCentral, type TestCentral } from '../test/central.ts';
import { checkRequest, drop, waitFor } from './connector.test-helpers.ts';

const main = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));
const total = 600;
const kills = 5;

let central: TestCentral;
let root: string;
before(async () => {
  central = await createTestCentral(200);
  await central.start();
  root = mkdtempSync(join(tmpdir(), 'onshi-crash-'));
});
after(async () => {
  await central.dispose();
  rmSync(root, { recursive: true, force: true });
});

function startChild(): Promise<ChildProcess> {
  const args = ['terminal', '--dir', root, '--central', central.url, '--client-cert', central.files.cert];
  args.push('--client-key', central.files.key, '--ca', central.files.ca, '--settle-ms', '30');
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('watching')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`connector exited early (${code})`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Takes results out of res/ like an EMR; counts every arrival per name. */
function startConsumer(resDir: string, consumedDir: string) {
  const arrivals = new Map<string, number>();
  const broken: string[] = [];
  const timer = setInterval(() => {
    if (!existsSync(resDir)) return;
    for (const name of readdirSync(resDir)) {
      if (name.startsWith('.')) continue;
      const bytes = new Uint8Array(readFileSync(join(resDir, name)));
      try {
        const result = decodeMessage(bytes, qualificationConfirmResultSchema);
        const id = name.slice('OQSsiquc01res_'.length, -'.xml'.length);
        if (
          result.MessageHeader.ArbitraryFileIdentifier !== id ||
          result.MessageHeader.SegmentOfResult !== '1'
        ) {
          broken.push(`${name}: not its own answer`);
        }
      } catch (error) {
        broken.push(`${name}: ${(error as Error).message}`);
      }
      renameSync(join(resDir, name), join(consumedDir, `${name}.${arrivals.get(name) ?? 0}`));
      arrivals.set(name, (arrivals.get(name) ?? 0) + 1);
    }
  }, 5);
  return { arrivals, broken, stop: () => clearInterval(timer) };
}

it(`answers ${total} requests exactly once across ${kills} kill -9 and restarts`, async () => {
  const consumed = join(root, 'consumed');
  mkdirSync(consumed);
  let child = await startChild();
  const consumer = startConsumer(join(root, 'res'), consumed);
  const names: string[] = [];
  let killed = 0;
  for (let i = 0; i < total; i++) {
    const id = String(i).padStart(6, '0');
    names.push(`OQSsiquc01req_${id}.xml`);
    drop(join(root, 'req'), names[i]!, checkRequest(1000 + (i % 200), 'utf-8', id));
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 15));
    if (killed < kills && i === Math.floor(((killed + 1) * total) / (kills + 1))) {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300)));
      await killHard(child);
      killed++;
      child = await startChild();
    }
  }
  await waitFor('every result', () => consumer.arrivals.size === total, 90_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a duplicate to show up
  consumer.stop();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));

  assert.equal(killed, kills);
  assert.deepEqual(consumer.broken, []);
  const twice = [...consumer.arrivals].filter(([, n]) => n !== 1);
  assert.deepEqual(twice, [], 'results written more than once');
  assert.deepEqual([...consumer.arrivals.keys()].sort(), names.map((n) => n.replace('req', 'res')).sort());
  assert.deepEqual(readdirSync(join(root, 'req')).sort(), ['.work', 'done', 'error']);
  assert.deepEqual(readdirSync(join(root, 'req', '.work')), []);
  assert.deepEqual(readdirSync(join(root, 'req', 'done')).sort(), names.sort());
  assert.deepEqual(readdirSync(join(root, 'res')), [], 'no temp files left behind');
});
