/**
 * Disaster mode on SQLite and PostgreSQL: opening for municipalities and a period, the search by
 * kana name, birth date, sex and address for an institution located there, one audit record per
 * person found with the reason, and each refusal with its code (no reason, no location, outside the
 * area, after the period — it closes by itself — and nothing declared); the operator token.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { before, describe, it } from 'node:test';
import { testClock } from '@onshi/pki/test-support';
import { listAuditPage } from '../audit/audit.repo.ts';
import { createAuditLog } from '../audit/audit.writer.ts';
import { createAuthenticator } from '../http/auth.ts';
import { addPerson, institutionCode } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import { createDisasterService, type DisasterService, isDisasterOpenFor } from './disaster.service.ts';

const inNoto = institutionCode('17', '1', '000011');
const inTokyo = institutionCode('13', '1', '012345');
const unlocated = institutionCode('17', '1', '000029');
const DAY = 86_400_000;
const query = { nameKana: 'シケン　タロウ', birthdate: '19600707', reason: '避難所から搬送、意識なし' };

forEachStore('disaster mode', (store) => {
  const clock = testClock('2024-01-01T07:00:00Z');
  let service: DisasterService;
  let person: number;
  before(async () => {
    service = createDisasterService({
      store: store(),
      clock,
      audit: createAuditLog({ store: store(), clock }),
    });
    person = await addPerson(store(), { birthdate: '1960-07-07', sex: '1' });
    await addPerson(store(), { birthdate: '1960-07-07', sex: '2' });
    await addPerson(store(), { birthdate: '1961-07-07', sex: '1' });
    await service.locate(inNoto, '172049'); // 輪島市 (6 digits with check digit)
    await service.locate(inTokyo, '13101');
  });

  it('refuses before anything is declared: DISASTER_NOT_DECLARED', async () => {
    await assert.rejects(service.search(inNoto, query), { code: 'DISASTER_NOT_DECLARED' });
    assert.equal(await isDisasterOpenFor(store(), inNoto, clock.now()), false);
  });

  it('opens for the named municipalities and finds the person by kana, birth date, sex and address', async () => {
    const declaration = await service.open({
      name: '令和6年能登半島地震',
      municipalities: ['17204', '172057'],
      startsAt: clock.now(),
      endsAt: new Date(clock.now().getTime() + 7 * DAY),
    });
    assert.deepEqual(declaration.municipalities, ['17204', '17205']);
    assert.equal(await isDisasterOpenFor(store(), inNoto, clock.now()), true);
    const both = await service.search(inNoto, { ...query, address: '千代田' });
    assert.equal(both.persons.length, 2);
    const found = await service.search(inNoto, { ...query, sex: '1' }, { terminalUser: 'dr-noto' });
    assert.deepEqual(
      found.persons.map((p) => p.personId),
      [person],
    );
    assert.equal((await service.search(inNoto, { ...query, address: '大阪' })).persons.length, 0);
    const records = await listAuditPage(store(), 0, 100);
    const last = records.at(-2)!;
    assert.deepEqual(
      [last.action, last.institutionCode, last.personId, last.terminalUser, last.reason],
      ['disaster-search', inNoto, person, 'dr-noto', query.reason],
    );
    assert.equal(records.at(-1)!.personId, undefined); // the search that found nobody
  });

  it('refuses a use without a reason: DISASTER_REASON_REQUIRED', async () => {
    await assert.rejects(service.search(inNoto, { ...query, reason: '  ' }), {
      code: 'DISASTER_REASON_REQUIRED',
    });
    await assert.rejects(service.search(inNoto, { ...query, reason: undefined }), {
      code: 'DISASTER_REASON_REQUIRED',
    });
  });

  it('refuses an institution outside the area, or without a registered location', async () => {
    await assert.rejects(service.search(inTokyo, query), { code: 'DISASTER_OUTSIDE_AREA' });
    await assert.rejects(service.search(unlocated, query), { code: 'DISASTER_LOCATION_UNKNOWN' });
  });

  it('closes by itself at the end of the period: DISASTER_PERIOD_OVER', async () => {
    clock.advance(7 * DAY - 1);
    assert.equal((await service.search(inNoto, query)).persons.length, 2);
    clock.advance(1);
    await assert.rejects(service.search(inNoto, query), { code: 'DISASTER_PERIOD_OVER' });
    assert.deepEqual(
      (await service.list()).map((d) => d.open),
      [false],
    );
  });

  it('closes early when the operator says so', async () => {
    const d = await service.open({
      name: '延長',
      municipalities: ['17204'],
      startsAt: clock.now(),
      endsAt: new Date(clock.now().getTime() + DAY),
    });
    assert.equal((await service.search(inNoto, query)).persons.length, 2);
    clock.advance(1000);
    const closed = await service.close(d.declarationId);
    assert.equal(closed.closedAt, clock.now().getTime());
    await assert.rejects(service.search(inNoto, query), { code: 'DISASTER_PERIOD_OVER' });
    await assert.rejects(service.close(999_999), { code: 'DISASTER_DECLARATION_NOT_FOUND' });
  });

  it('refuses bad municipality codes: MUNICIPALITY_CODE_INVALID', async () => {
    const period = { startsAt: clock.now(), endsAt: new Date(clock.now().getTime() + DAY) };
    await assert.rejects(service.open({ name: 'x', municipalities: ['172048'], ...period }), {
      code: 'MUNICIPALITY_CODE_INVALID',
    });
  });
});

describe('operator token', () => {
  const req = (authorization?: string) =>
    ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

  it('is closed without a token file, and refuses a wrong or missing token', () => {
    assert.throws(() => createAuthenticator({}).operator(req('Bearer x')), {
      code: 'AUTH_OPERATOR_DISABLED',
    });
    const auth = createAuthenticator({ operatorToken: 'op-secret', feedToken: 'feed-secret' });
    assert.throws(() => auth.operator(req()), { code: 'AUTH_OPERATOR_TOKEN_INVALID' });
    assert.throws(() => auth.operator(req('Bearer feed-secret')), { code: 'AUTH_OPERATOR_TOKEN_INVALID' });
    auth.operator(req('Bearer op-secret'));
  });
});
