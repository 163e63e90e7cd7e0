import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Application } from '../applications/applications.repo.ts';
import type { PortalCertificate } from '../certificates/certificates.ts';
import { computeChecklist } from './checklist.ts';

const app = (kind: Application['kind'], status: Application['status'], at: string): Application => ({
  id: 1,
  accountId: 1,
  kind,
  status,
  payload: {},
  submittedAt: at,
  decidedAt: status === 'submitted' ? null : at,
  decidedBy: null,
  reason: null,
});
const cert = (
  serial: string,
  environment: 'connection-test' | 'production',
  revokedAt: string | null = null,
) => ({ serial, environment, revokedAt, issuedAt: '2026-01-05T00:00:00Z' }) as PortalCertificate;

describe('computeChecklist', () => {
  const base = {
    verifiedAt: '2026-01-01T00:00:00Z',
    profileSaved: true,
    applications: [
      app('reader', 'submitted', '2026-01-02T00:00:00Z'),
      app('usage', 'approved', '2026-01-03T00:00:00Z'),
    ],
    certificates: [cert('AA', 'connection-test'), cert('BB', 'production')],
    sightings: [] as { serial: string; firstCheckAt: string }[],
    marks: new Map<string, string>(),
  };
  const step = (list: ReturnType<typeof computeChecklist>, id: string) =>
    list.steps.find((s) => s.id === id)!;

  it('ticks account, reader, usage and certificate from facts; preparing until central sees a check', () => {
    const list = computeChecklist(base);
    assert.equal(list.stage, 'preparing');
    for (const id of ['account', 'profile', 'reader', 'usage', 'certificate'])
      assert.equal(step(list, id).done, true, id);
    assert.equal(step(list, 'equipment').done, false);
    assert.equal(step(list, 'quotes').manual, true);
  });

  it('a production check alone is not operation: the operation test comes first', () => {
    const list = computeChecklist({
      ...base,
      sightings: [{ serial: 'BB', firstCheckAt: '2026-02-01T00:00:00Z' }],
    });
    assert.equal(list.stage, 'testing');
    assert.equal(step(list, 'equipment').done, true);
    assert.equal(step(list, 'start').done, false);
  });

  it('operation test with the connection-test certificate, then production → in operation', () => {
    const sightings = [
      { serial: 'AA', firstCheckAt: '2026-02-01T00:00:00Z' },
      { serial: 'BB', firstCheckAt: '2026-02-10T00:00:00Z' },
    ];
    const list = computeChecklist({ ...base, sightings });
    assert.equal(list.stage, 'in-operation');
    assert.equal(step(list, 'operation-test').at, '2026-02-01T00:00:00Z');
    assert.equal(step(list, 'start').at, '2026-02-10T00:00:00Z');
    const revoked = computeChecklist({
      ...base,
      sightings,
      certificates: [cert('AA', 'connection-test'), cert('BB', 'production', 'x')],
    });
    assert.equal(revoked.stage, 'testing');
  });

  it('a pending usage application shows as pending, a rejected one does not count', () => {
    const list = computeChecklist({
      ...base,
      applications: [
        app('usage', 'submitted', '2026-01-03T00:00:00Z'),
        app('reader', 'rejected', '2026-01-02T00:00:00Z'),
      ],
    });
    assert.equal(step(list, 'usage').pending, true);
    assert.equal(step(list, 'reader').done, false);
  });
});
