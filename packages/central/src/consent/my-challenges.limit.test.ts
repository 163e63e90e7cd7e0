/**
 * POST /oqs/v1/my-challenges needs no certificate and no card signature, and every call writes a
 * challenge row: it is limited per peer address (HTTP_RATE_LIMITED, 429, until the minute is over),
 * independently for each address.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isOnshiError } from '@onshi/core';
import type { CardCheckService } from '../card-check/card-check.service.ts';
import type { HttpRequest } from '../http/types.ts';
import { consentPaths, MY_CHALLENGES_PER_MINUTE, patientRoutes } from './consent.routes.ts';

it('limits challenges per address and minute', async () => {
  let now = Date.parse('2026-12-01T00:00:00Z');
  let issued = 0;
  const cards = {
    issueChallenge: async () => {
      issued += 1;
      return { challenge: 'AAAA', expiresAt: new Date(now + 60_000).toISOString() };
    },
  } as unknown as CardCheckService;
  const routes = patientRoutes({
    store: undefined as never,
    audit: undefined as never,
    clock: { now: () => new Date(now) },
    cards,
  });
  const route = routes.find((r) => r.path === consentPaths.myChallenges)!;
  const ask = (remoteAddress: string) =>
    route.handler({
      method: 'POST',
      path: route.path,
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
      requestId: 't',
      remoteAddress,
    } satisfies HttpRequest);
  for (let i = 0; i < MY_CHALLENGES_PER_MINUTE; i++) assert.equal((await ask('192.0.2.1')).status, 200);
  await assert.rejects(
    ask('192.0.2.1'),
    (error) => isOnshiError(error) && error.code === 'HTTP_RATE_LIMITED' && error.status === 429,
  );
  assert.equal(issued, MY_CHALLENGES_PER_MINUTE, 'no challenge written once over the limit');
  assert.equal((await ask('192.0.2.2')).status, 200, 'another address has its own count');
  now += 60_000;
  assert.equal((await ask('192.0.2.1')).status, 200, 'a new minute');
});
