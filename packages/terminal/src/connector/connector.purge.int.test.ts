/**
 * Purge: done rows and req/done/ files older than the retention are deleted by the periodic purge;
 * newer ones, and requests kept in req/error/, stay.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createTestCentral, type TestCentral } from '../test/central.ts';
import { createHttpsCentralClient } from './connector.client.ts';
import { openConnectorRepo } from './connector.repo.ts';
import { createConnector, defaultConnectorOptions } from './connector.service.ts';
import { checkRequest, drop, waitFor } from './connector.test-helpers.ts';
import { connectorDirs } from './connector.writer.ts';

let central: TestCentral;
let root: string;
before(async () => {
  central = await createTestCentral(5);
  await central.start();
  root = mkdtempSync(join(tmpdir(), 'onshi-purge-'));
});
after(async () => {
  await central.dispose();
  rmSync(root, { recursive: true, force: true });
});

const day = 24 * 3_600_000;

it('deletes done rows and req/done/ files older than the retention, keeps newer ones and req/error/', async () => {
  const dirs = connectorDirs(root);
  mkdirSync(dirs.state, { recursive: true });
  const repo = openConnectorRepo(join(dirs.state, 'state.db'));
  const client = createHttpsCentralClient({
    baseUrl: central.url,
    certFile: central.files.cert,
    keyFile: central.files.key,
    caFile: central.files.ca,
  });
  let offset = 0; // the connector's clock runs `offset` ahead of the real one
  const connector = createConnector({
    dirs,
    repo,
    client,
    clock: { now: () => new Date(Date.now() + offset) },
    options: { ...defaultConnectorOptions, settleMs: 30, scanMs: 50, retentionMs: 7 * day, purgeEveryMs: 50 },
    onError: (error) => console.error(error),
  });
  connector.start();
  const allRows = () =>
    (['received', 'sent', 'answered', 'writing', 'written', 'done'] as const).flatMap((state) =>
      repo.listInState(state).map((r) => `${r.name} ${r.state}`),
    );
  try {
    drop(dirs.req, 'OQSsiquc01req_old.xml', checkRequest(1000));
    drop(dirs.req, 'OQSsiquc01req_oldbad.xml', '<XmlMsg>');
    await waitFor('old ones done', () => repo.counts().done === 2);
    assert.ok(existsSync(join(dirs.done, 'OQSsiquc01req_old.xml')));
    assert.ok(existsSync(join(dirs.error, 'OQSsiquc01req_oldbad.xml')));

    // Eight days later: a new request, written by the client then (its mtime says so).
    offset = 8 * day;
    const later = new Date(Date.now() + offset);
    const temp = join(dirs.req, '.new.tmp');
    writeFileSync(temp, checkRequest(1001));
    utimesSync(temp, later, later);
    renameSync(temp, join(dirs.req, 'OQSsiquc01req_new.xml'));
    await waitFor('old rows purged, new one done', () => allRows().join() === 'OQSsiquc01req_new.xml done');
    await waitFor('old file purged', () => !existsSync(join(dirs.done, 'OQSsiquc01req_old.xml')));
    assert.ok(existsSync(join(dirs.done, 'OQSsiquc01req_new.xml')), 'newer than the retention: kept');
    assert.ok(existsSync(join(dirs.error, 'OQSsiquc01req_oldbad.xml')), 'req/error/ is left to the operator');
    assert.equal(repo.counts().done, 1);
  } finally {
    await connector.stop();
    client.close();
    repo.close();
  }
});
