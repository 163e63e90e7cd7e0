/**
 * Recovery from every state of the crash table at once, as a kill -9 in the middle of batches
 * leaves it: a state file and folders laid out by hand (several rows per state, so that recovery
 * and the writer handle them as batches), then the connector started on them. Every request must
 * end done with exactly the results that were not yet published written, and none written again.
 * Large answers streamed into their temp (the spool) have their own states: a partial stream of a
 * `sent` row and a stream no row points at are deleted, a recorded one is published, one lost by a
 * system crash is asked for again.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { decodeMessage, qualificationConfirmResultSchema } from '@onshi/core';
import { createTestCentral, type TestCentral } from '../test/central.ts';
import { createHttpsCentralClient } from './connector.client.ts';
import { openConnectorRepo } from './connector.repo.ts';
import { createConnector, defaultConnectorOptions } from './connector.service.ts';
import { checkRequest, waitFor } from './connector.test-helpers.ts';
import { connectorDirs, createDirs, sha256, spoolPath, workPath } from './connector.writer.ts';

let central: TestCentral;
let root: string;
before(async () => {
  central = await createTestCentral(20);
  await central.start();
  root = mkdtempSync(join(tmpdir(), 'onshi-recovery-'));
});
after(async () => {
  await central.dispose();
  rmSync(root, { recursive: true, force: true });
});

const per = 5; // rows per state
const states = [
  'received, file still in req/',
  'received, file in .work',
  'sent',
  'sent, partial stream left',
  'answered, partial temp',
  'answered, streamed result present',
  'answered, streamed result lost',
  'writing, streamed result present',
  'answered, no temp',
  'writing, temp present',
  'writing, temp renamed and consumed',
  'written, request still in .work',
  'written, request archived',
] as const;
type Case = (typeof states)[number];

it('finishes every row from wherever a crash left it, publishing each result exactly once', async () => {
  const dirs = connectorDirs(root);
  createDirs(dirs);
  const repo = openConnectorRepo(join(dirs.state, 'state.db'));
  const now = Date.now();
  const rows: { id: number; name: string; resultName: string; state: Case; result: string }[] = [];
  let n = 0;
  for (const state of states) {
    for (let i = 0; i < per; i++, n++) {
      const fileId = `R${n}`;
      const name = `OQSsiquc01req_${fileId}.xml`;
      const resultName = `OQSsiquc01res_${fileId}.xml`;
      const bytes = checkRequest(1000 + n, 'utf-8', fileId);
      const id = repo.insertReceived({
        name,
        sha256: sha256(bytes),
        bytes,
        receivedAt: now,
        deadlineAt: now + 60_000,
      });
      const result = `<result of ${fileId}>`;
      const answer = { resultName, result: new TextEncoder().encode(result), outcome: 'central' as const };
      const streamed = state.includes('stream');
      const temp = streamed ? spoolPath(dirs, { id, name }, 1) : join(dirs.res, `.${resultName}.${id}.tmp`);
      const work = workPath(dirs, { id, name });
      if (state === 'received, file still in req/') writeFileSync(join(dirs.req, name), bytes);
      else writeFileSync(work, bytes);
      if (state.startsWith('sent')) repo.markSent(id);
      if (state === 'sent, partial stream left') writeFileSync(temp, result.slice(0, 5));
      if (state.startsWith('answered') || state.startsWith('writing') || state.startsWith('written')) {
        repo.markSent(id);
        const spooled = streamed
          ? { result: new Uint8Array(), resultPath: temp, resultSize: result.length }
          : {};
        repo.markAnswered(id, 'sent', { ...answer, errorCode: null, ...spooled });
      }
      if (state === 'answered, streamed result present' || state === 'writing, streamed result present') {
        writeFileSync(temp, result);
      }
      if (state === 'answered, partial temp') writeFileSync(temp, result.slice(0, 5));
      if (state.startsWith('writing') || state.startsWith('written')) repo.markWriting(id);
      if (state === 'writing, temp present') writeFileSync(temp, result);
      if (state.startsWith('written')) repo.markWritten(id, join(dirs.done, name));
      if (state === 'written, request archived') writeFileSync(join(dirs.done, name), bytes);
      if (state === 'written, request archived') rmSync(work);
      rows.push({ id, name, resultName, state, result });
    }
  }
  repo.close();
  writeFileSync(spoolPath(dirs, { id: 9_999, name: 'OQSmuquc02req_ghost.xml' }, 3), '<XmlMsg>');

  const reopened = openConnectorRepo(join(dirs.state, 'state.db'));
  const client = createHttpsCentralClient({
    baseUrl: central.url,
    certFile: central.files.cert,
    keyFile: central.files.key,
    caFile: central.files.ca,
  });
  const connector = createConnector({
    dirs,
    repo: reopened,
    client,
    clock: { now: () => new Date() },
    options: { ...defaultConnectorOptions, settleMs: 30, scanMs: 100 },
    onError: (error) => console.error(error),
  });
  connector.start();
  try {
    await waitFor('every row done', () => reopened.counts().done === rows.length);
  } finally {
    await connector.stop();
    client.close();
  }
  const counts = reopened.counts();
  reopened.close();
  assert.equal(counts.done, rows.length);

  const published = new Set(readdirSync(dirs.res));
  for (const row of rows) {
    const path = join(dirs.res, row.resultName);
    if (row.state.startsWith('received') || row.state.startsWith('sent') || row.state.endsWith('lost')) {
      const answer = decodeMessage(new Uint8Array(readFileSync(path)), qualificationConfirmResultSchema);
      assert.equal(answer.MessageHeader.ArbitraryFileIdentifier, row.resultName.slice(14, -4), row.state);
      assert.equal(answer.MessageHeader.SegmentOfResult, '1', row.state);
    } else if (row.state.startsWith('answered') || row.state.endsWith('present')) {
      assert.equal(readFileSync(path, 'utf8'), row.result, `${row.state}: the recorded result, whole`);
    } else {
      assert.equal(existsSync(path), false, `${row.state}: published before the crash, not again`);
    }
    published.delete(row.resultName);
    assert.ok(existsSync(join(dirs.done, row.name)), `${row.state}: archived`);
  }
  assert.deepEqual([...published], [], 'no temp or other file left in res/');
  assert.deepEqual(readdirSync(dirs.work), []);
  assert.deepEqual(readdirSync(dirs.req).sort(), ['.work', 'done', 'error']);
  assert.equal(readdirSync(dirs.done).length, rows.length, 'each request archived once, under its name');
});
