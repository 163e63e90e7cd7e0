/**
 * Central unreachable: requests wait and are retried with backoff, are answered once central is
 * back, or get CONNECTOR_CENTRAL_UNREACHABLE past the deadline — and a late answer is not written
 * a second time.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeMessage, qualificationConfirmResultSchema } from '@onshi/core';
import { createTestCentral, type TestCentral } from '../test/central.ts';
import { type CentralClient, createHttpsCentralClient } from './connector.client.ts';
import { openConnectorRepo } from './connector.repo.ts';
import { type ConnectorOptions, createConnector, defaultConnectorOptions } from './connector.service.ts';
import { checkRequest, drop, waitFor } from './connector.test-helpers.ts';
import { connectorDirs } from './connector.writer.ts';

let central: TestCentral;
const cleanups: (() => Promise<void>)[] = [];
before(async () => {
  central = await createTestCentral(5);
});
after(async () => {
  for (const cleanup of cleanups) await cleanup();
  await central.dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startConnector(options: Partial<ConnectorOptions>, substitute?: CentralClient) {
  const dirs = connectorDirs(mkdtempSync(join(tmpdir(), 'onshi-down-')));
  mkdirSync(dirs.state, { recursive: true });
  const repo = openConnectorRepo(join(dirs.state, 'state.db'));
  const { cert, key, ca } = central.files;
  const client =
    substitute ??
    createHttpsCentralClient({ baseUrl: central.url, certFile: cert, keyFile: key, caFile: ca });
  const connector = createConnector({
    dirs,
    repo,
    client,
    clock: { now: () => new Date() },
    options: {
      ...defaultConnectorOptions,
      settleMs: 30,
      scanMs: 100,
      backoffMs: { first: 50, max: 200 },
      ...options,
    },
  });
  connector.start();
  cleanups.push(async () => {
    await connector.stop();
    client.close();
    repo.close();
    rmSync(dirs.root, { recursive: true, force: true });
  });
  const resultPath = (name: string) => join(dirs.res, name);
  const result = (name: string) =>
    existsSync(resultPath(name))
      ? decodeMessage(new Uint8Array(readFileSync(resultPath(name))), qualificationConfirmResultSchema)
      : undefined;
  return { dirs, repo, result, resultPath };
}

describe('connector: central unreachable', () => {
  it('queues and retries with backoff while central is down, answers once it is up', async () => {
    await central.stop();
    const { dirs, repo, result } = startConnector({ deadlineMs: 30_000 });
    drop(dirs.req, 'OQSsiquc01req_wait.xml', checkRequest(1001, 'utf-8', 'W'));
    await waitFor('retries', () => (repo.get(1)?.attempts ?? 0) >= 3);
    assert.equal(result('OQSsiquc01res_wait.xml'), undefined);
    assert.ok(['received', 'sent'].includes(repo.get(1)!.state));
    await central.start();
    const answer = await waitFor('answer', () => result('OQSsiquc01res_wait.xml'));
    assert.equal(answer.MessageHeader.SegmentOfResult, '1');
    assert.equal(answer.MessageHeader.ArbitraryFileIdentifier, 'W');
    await waitFor('done', () => existsSync(join(dirs.done, 'OQSsiquc01req_wait.xml')));
  });

  it('past the deadline writes CONNECTOR_CENTRAL_UNREACHABLE once; central coming back changes nothing', async () => {
    await central.stop();
    const { dirs, repo, result, resultPath } = startConnector({ deadlineMs: 600 });
    drop(dirs.req, 'OQSsiquc01req_late.xml', checkRequest(1002));
    const answer = await waitFor('error result', () => result('OQSsiquc01res_late.xml'));
    assert.equal(answer.MessageHeader.SegmentOfResult, '9');
    assert.equal(answer.MessageHeader.ErrorCode, 'CONNECTOR_CENTRAL_UNREACHABLE');
    await waitFor('kept in error/', () => existsSync(join(dirs.error, 'OQSsiquc01req_late.xml')));
    unlinkSync(resultPath('OQSsiquc01res_late.xml')); // the EMR takes it
    await central.start();
    await sleep(800);
    assert.deepEqual(readdirSync(dirs.res), []);
    assert.equal(repo.get(1)?.state, 'done');
    assert.equal(repo.counts().errors, 1);
  });

  it('drops an answer that arrives after the deadline (client ignoring the abort)', async () => {
    await central.start();
    const real = createHttpsCentralClient({
      baseUrl: central.url,
      certFile: central.files.cert,
      keyFile: central.files.key,
      caFile: central.files.ca,
    });
    let late: Promise<unknown> | undefined;
    const slow: CentralClient = {
      post(kind, xml) {
        const answer = sleep(700).then(() => real.post(kind, xml, new AbortController().signal));
        late = answer;
        return answer;
      },
      close: () => real.close(),
    };
    const { dirs, repo, result } = startConnector({ deadlineMs: 300 }, slow);
    drop(dirs.req, 'OQSsiquc01req_slow.xml', checkRequest(1003));
    const answer = await waitFor('error result', () => result('OQSsiquc01res_slow.xml'));
    assert.equal(answer.MessageHeader.ErrorCode, 'CONNECTOR_CENTRAL_UNREACHABLE');
    await waitFor('late answer', () => late !== undefined);
    await late;
    await sleep(200);
    assert.equal(result('OQSsiquc01res_slow.xml')?.MessageHeader.ErrorCode, 'CONNECTOR_CENTRAL_UNREACHABLE');
    assert.equal(repo.get(1)?.outcome, 'error');
    assert.equal(repo.get(1)?.state, 'done');
  });
});
