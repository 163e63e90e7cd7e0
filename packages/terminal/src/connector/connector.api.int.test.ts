/** The local Web API: JSON in and out through central, errors in the service-wide shape, health. */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { createTestCentral, institution, insurer, type TestCentral } from '../test/central.ts';
import { createConnectorApi } from './connector.api.ts';
import { type CentralClient, createHttpsCentralClient } from './connector.client.ts';
import { openConnectorRepo } from './connector.repo.ts';

let central: TestCentral;
let client: CentralClient;
let server: ReturnType<typeof createConnectorApi>;
let base: string;
const repo = openConnectorRepo(':memory:');

before(async () => {
  central = await createTestCentral(3);
  await central.start();
  const { cert, key, ca } = central.files;
  client = createHttpsCentralClient({ baseUrl: central.url, certFile: cert, keyFile: key, caFile: ca });
  server = createConnectorApi({ client, repo, inFlight: () => 0, timeoutMs: 5_000 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  client.close();
  repo.close();
  await central.dispose();
});

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

it('answers a qualification check as JSON mirroring the XML', async () => {
  const response = await post('/oqs/v1/qualification-confirmations', {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: '20260401', MedicalInstitutionCode: institution },
      MessageBody: {
        QualificationConfirmSearchInfo: {
          InsurerNumber: insurer,
          InsuredCardSymbol: '12',
          InsuredIdentificationNumber: '1001',
          InsuredBranchNumber: '00',
          Birthdate: '19900505',
          LimitApplicationCertificateRelatedConsFlg: '0',
        },
      },
    },
  });
  assert.equal(response.status, 200);
  const json = (await response.json()) as {
    XmlMsg: { MessageHeader: Record<string, string>; MessageBody: Record<string, string> };
  };
  assert.equal(json.XmlMsg.MessageHeader.SegmentOfResult, '1');
  assert.equal(json.XmlMsg.MessageBody.QualificationValidity, '1');
});

it('refuses bad JSON and unknown paths with catalogue codes', async () => {
  const bad = await post('/oqs/v1/qualification-confirmations', '{');
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { code: string }).code, 'MSG_JSON_MALFORMED');
  const missing = await post('/oqs/v1/qualification-confirmations', { XmlMsg: { MessageHeader: {} } });
  assert.equal(((await missing.json()) as { code: string }).code, 'MSG_FIELD_REQUIRED');
  const unknown = await post('/nowhere', {});
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { code: string }).code, 'HTTP_NOT_FOUND');
});

it('reports counters on /health', async () => {
  repo.insertReceived({
    name: 'OQSsiquc01req_1.xml',
    sha256: 'x',
    bytes: new Uint8Array(1),
    receivedAt: 0,
    deadlineAt: 1,
  });
  const response = await fetch(`${base}/health`);
  assert.deepEqual(await response.json(), {
    status: 'ok',
    queued: 1,
    inFlight: 0,
    writing: 0,
    answered: 0,
    errors: 0,
  });
});
