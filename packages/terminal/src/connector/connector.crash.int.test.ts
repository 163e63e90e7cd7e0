/**
 * `kill -9` during a burst: the connector runs as a child process (`onshi terminal`), a burst of
 * request files is dropped, the process is SIGKILLed several times mid-burst and restarted. A
 * consumer takes results out of res/ as they appear (as an EMR does), so a result written twice
 * would be seen twice. Every request must be answered exactly once, completely, with its own answer.
 * Files come in bursts of 100, so that the connector works in batches (intake, dispatch, answers,
 * the writer's steps) when it is killed; connector.recovery.int.test.ts lays out each state of the
 * crash table by hand. The mix: single checks, YZK (XML and PDF) and TKK for a patient with a live
 * consent (viewed as the folder's 医療情報閲覧者), and batch uploads OQSmuquc01 / OQSmuimm01 whose
 * 02req the consumer drops as a client does — again, under a new name, while the 02res says 処理中 —
 * until the 02res carries every unit. A 500-row 一括照会 02res is larger than `spoolBytes`, so kills
 * also land while a large answer is being streamed into its temp file or published.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  bulkQualificationConfirmResultSchema,
  bulkQualificationConfirmUploadResultSchema,
  bulkReferenceNumberRegistrationResultSchema,
  bulkReferenceNumberRegistrationUploadResultSchema,
  checkupInformationResultSchema,
  decodeMessage,
  type MessageSchema,
  medicationInformationResultSchema,
  qualificationConfirmResultSchema,
} from '@onshi/core';
import type { MedinfoWorld } from '../../../central/src/medinfo/medinfo.fixture.ts';
import { createUser } from '../station/station.start.ts';
import { createTestCentral, type TestCentral } from '../test/central.ts';
import { openConnectorRepo } from './connector.repo.ts';
import {
  bulkCheckRequest,
  bulkRegisterRequest,
  checkRequest,
  downloadRequest,
  drop,
  medinfoRequest,
  waitFor,
} from './connector.test-helpers.ts';

const main = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));
const total = 600;
const kills = 5;

const batchRows = 500;

let central: TestCentral;
let world: MedinfoWorld;
let root: string;
before(async () => {
  central = await createTestCentral(200);
  world = await central.seedMedinfo();
  await central.start();
  root = mkdtempSync(join(tmpdir(), 'onshi-crash-'));
  await createUser(root, { login: 'doctor.1', role: 'viewer', password: 'viewer-password-1' });
});
after(async () => {
  await central.dispose();
  rmSync(root, { recursive: true, force: true });
});

function startChild(): Promise<ChildProcess> {
  const args = ['terminal', '--dir', root, '--central', central.url, '--client-cert', central.files.cert];
  args.push('--client-key', central.files.key, '--ca', central.files.ca, '--settle-ms', '30');
  args.push('--medinfo-user', 'doctor.1', '--ui-port', '0');
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

type Header = {
  MessageHeader: { ArbitraryFileIdentifier?: string; SegmentOfResult: string; ReceptionNumber?: string };
  MessageBody: { ReceptionNumber?: string; BulkConfirmUnit?: unknown[] };
};
const schemaOf: Record<string, MessageSchema<unknown>> = {
  OQSsiquc01res: qualificationConfirmResultSchema as MessageSchema<unknown>,
  YZKsiquc01res: medicationInformationResultSchema as MessageSchema<unknown>,
  TKKsiquc01res: checkupInformationResultSchema as MessageSchema<unknown>,
  OQSmuquc01res: bulkQualificationConfirmUploadResultSchema as MessageSchema<unknown>,
  OQSmuimm01res: bulkReferenceNumberRegistrationUploadResultSchema as MessageSchema<unknown>,
  OQSmuquc02res: bulkQualificationConfirmResultSchema as MessageSchema<unknown>,
  OQSmuimm02res: bulkReferenceNumberRegistrationResultSchema as MessageSchema<unknown>,
};

/**
 * Takes results out of res/ like an EMR; counts every arrival per name, checks each is its own
 * request's complete answer, and drops the 02req of a batch (again while it is 処理中).
 */
function startConsumer(resDir: string, consumedDir: string, reqDir: string, dropped: string[]) {
  const arrivals = new Map<string, number>();
  const broken: string[] = [];
  const completed = new Set<string>();
  const poll = (kind: string, id: string, n: number, reception: string) => {
    const name = `OQSmu${kind}02req_${id}_p${n}.xml`;
    dropped.push(name);
    drop(reqDir, name, downloadRequest(kind as 'quc' | 'imm', reception));
  };
  function check(name: string, bytes: Uint8Array): void {
    const [, prefix, id, poll_, ext] = /^(\w{10}res)_(.+?)(?:_p(\d+))?\.(xml|pdf)$/.exec(name) ?? [];
    if (prefix === undefined || id === undefined) throw new Error('unexpected name');
    if (ext === 'pdf') {
      const text = Buffer.from(bytes).toString('latin1');
      if (!text.startsWith('%PDF-') || !text.trimEnd().endsWith('%%EOF')) throw new Error('not a whole PDF');
      return;
    }
    const result = decodeMessage(bytes, schemaOf[prefix]!) as Header;
    const segment = result.MessageHeader.SegmentOfResult;
    if (prefix.endsWith('02res')) {
      const kind = prefix.slice(5, 8);
      if (segment === '2') poll(kind, id, Number(poll_) + 1, result.MessageHeader.ReceptionNumber!);
      else if (segment !== '1' || result.MessageBody.BulkConfirmUnit?.length !== batchRows) {
        throw new Error(`02res ${segment} with ${result.MessageBody.BulkConfirmUnit?.length} units`);
      } else completed.add(id);
      return;
    }
    if (result.MessageHeader.ArbitraryFileIdentifier !== id || segment !== '1') {
      throw new Error(`not its own answer (${segment})`);
    }
    if (prefix.startsWith('OQSmu')) poll(prefix.slice(5, 8), id, 1, result.MessageBody.ReceptionNumber!);
  }
  const timer = setInterval(() => {
    if (!existsSync(resDir)) return;
    for (const name of readdirSync(resDir)) {
      if (name.startsWith('.')) continue;
      const bytes = new Uint8Array(readFileSync(join(resDir, name)));
      try {
        check(name, bytes);
      } catch (error) {
        broken.push(`${name}: ${(error as Error).message}`);
      }
      renameSync(join(resDir, name), join(consumedDir, `${name}.${arrivals.get(name) ?? 0}`));
      arrivals.set(name, (arrivals.get(name) ?? 0) + 1);
    }
  }, 5);
  return { arrivals, broken, completed, stop: () => clearInterval(timer) };
}

it(`answers ${total} requests exactly once across ${kills} kill -9 and restarts`, async () => {
  const consumed = join(root, 'consumed');
  mkdirSync(consumed);
  let child = await startChild();
  const names: string[] = [];
  const consumer = startConsumer(join(root, 'res'), consumed, join(root, 'req'), names);
  const batches: string[] = [];
  const req = join(root, 'req');
  let killed = 0;
  for (let i = 0; i < total; i++) {
    const id = String(i).padStart(6, '0');
    const add = (name: string, bytes: Uint8Array) => {
      names.push(name);
      drop(req, name, bytes);
    };
    add(`OQSsiquc01req_${id}.xml`, checkRequest(1000 + (i % 200), 'utf-8', id));
    if (i % 8 === 3) {
      const fileCategory = i % 16 === 3 ? '1' : '2';
      const yzk = medinfoRequest('medications', world.alice, { fileCategory, fileId: `Y${id}` });
      add(`YZKsiquc01req_Y${id}.xml`, yzk);
    }
    if (i % 25 === 7)
      add(`TKKsiquc01req_T${id}.xml`, medinfoRequest('checkups', world.alice, { fileId: `T${id}` }));
    const cards = Array.from({ length: batchRows }, (_, r) => 1000 + ((i + r) % 200));
    if (i % 50 === 11) {
      batches.push(`Q${id}`);
      add(
        `OQSmuquc01req_Q${id}.xml`,
        bulkCheckRequest(cards, i % 100 === 11 ? 'shift_jis' : 'utf-8', `Q${id}`),
      );
    }
    if (i % 100 === 13) {
      batches.push(`M${id}`);
      add(`OQSmuimm01req_M${id}.xml`, bulkRegisterRequest(cards, 'utf-8', `M${id}`));
    }
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 15));
    if (killed < kills && i === Math.floor(((killed + 1) * total) / (kills + 1))) {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300)));
      await killHard(child);
      killed++;
      child = await startChild();
    }
  }
  await waitFor(
    'every result',
    () => consumer.completed.size === batches.length && consumer.arrivals.size === names.length,
    120_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a duplicate to show up
  consumer.stop();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));

  assert.equal(killed, kills);
  assert.deepEqual(consumer.broken, []);
  const twice = [...consumer.arrivals].filter(([, n]) => n !== 1);
  assert.deepEqual(twice, [], 'results written more than once');
  const resultNames = [...consumer.arrivals.keys()].map((n) => n.replace(/\.pdf$/, '.xml'));
  assert.deepEqual(resultNames.sort(), names.map((n) => n.replace('req', 'res')).sort());
  assert.ok([...consumer.arrivals.keys()].some((n) => n.endsWith('.pdf')));
  assert.deepEqual([...consumer.completed].sort(), batches.sort());
  assert.deepEqual(readdirSync(join(root, 'req')).sort(), ['.work', 'done', 'error']);
  assert.deepEqual(readdirSync(join(root, 'req', '.work')), []);
  assert.deepEqual(readdirSync(join(root, 'req', 'done')).sort(), names.sort());
  assert.deepEqual(readdirSync(join(root, 'res')), [], 'no temp files left behind');
  const state = openConnectorRepo(join(root, '.connector', 'state.db'));
  const streamed = state.listInState('done').filter((row) => row.resultPath !== null).length;
  state.close();
  assert.ok(streamed > 0, 'some 02res went through the spool');
  console.log(`mix: ${names.length} files, ${batches.length} batches, ${streamed} streamed results`);
});
