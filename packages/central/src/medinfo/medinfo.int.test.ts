/**
 * The YZK / TKK routes on SQLite and PostgreSQL, as the server hands requests over (the client
 * certificate's institution in `request.institution`): every refusal with its code and no audit
 * record, the answers as JSON, XML (UTF-8 and Shift_JIS) and PDF, the audit record of each view,
 * and disaster mode (search → view by person id, outside the area, after the period, no reason).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  type CheckupInformationResult,
  checkupInformationResultSchema,
  decodeMessage,
  encodeMessage,
  type MedicationInformationRequest,
  type MedicationInformationResult,
  medicationInformationRequestSchema,
  medicationInformationResultSchema,
} from '@onshi/core';
import { verifyAuditChain } from '../audit/audit.verify.ts';
import { createAuditLog } from '../audit/audit.writer.ts';
import { createDisasterService, type DisasterService } from '../disaster/disaster.service.ts';
import type { HttpReply, HttpRequest, Route } from '../http/types.ts';
import { createLogger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { addPerson, addQualification } from '../test/fixtures.ts';
import { forEachStore } from '../test/stores.ts';
import {
  amlodipine,
  cardHeader,
  checkupCentre,
  clinic,
  createMedinfoWorld,
  HOUR,
  insurer,
  loxoprofen,
  type MedinfoWorld,
  otherClinic,
  type Patient,
  pharmacy,
  T0,
  testClock,
} from './medinfo.fixture.ts';
import { medinfoPaths, medinfoRoutes } from './medinfo.routes.ts';
import { createMedicalInfoService } from './medinfo.service.ts';
import { inspectPdf } from './pdf.inspect.ts';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers in assertions
type Json = any;

const viewer = {
  'x-onshi-terminal-user': encodeURIComponent('医師　一郎'),
  'x-onshi-terminal-role': 'viewer',
};

interface Call {
  readonly body: unknown;
  readonly type?: string;
  readonly institution?: string;
  readonly headers?: Record<string, string>;
}

forEachStore('medical information retrieval (YZK / TKK)', (store) => {
  const clock = testClock(T0);
  let world: MedinfoWorld;
  let routes: Map<string, Route>;
  let disaster: DisasterService;

  before(async () => {
    world = await createMedinfoWorld(store(), clock);
    const audit = createAuditLog({ store: store(), clock });
    disaster = createDisasterService({ store: store(), clock, audit });
    const service = createMedicalInfoService({ store: store(), clock, audit });
    const list = medinfoRoutes({ service, clock, logger: createLogger(() => {}), maxBodyBytes: 65536 });
    routes = new Map(list.map((r) => [r.path, r]));
  });

  async function call(path: string, c: Call): Promise<HttpReply> {
    const body =
      c.body instanceof Uint8Array ? Buffer.from(c.body) : Buffer.from(JSON.stringify({ XmlMsg: c.body }));
    const request: HttpRequest = {
      method: 'POST',
      path,
      query: new URLSearchParams(),
      headers: { 'content-type': c.type ?? 'application/json', ...(c.headers ?? viewer) },
      body,
      requestId: 'test-1',
      institution: { code: c.institution ?? clinic, serial: '01' },
    };
    const route = routes.get(path)!;
    try {
      return await route.handler(request);
    } catch (error) {
      return route.errorReply!(error, { headers: request.headers, requestId: 'test-1', body });
    }
  }
  const json = (reply: HttpReply): Json => JSON.parse(String(reply.body));
  const yzk = (p: Patient, body: object = {}, institution = clinic) => ({
    MessageHeader: cardHeader(p, institution),
    MessageBody: body,
  });
  const views = async (s: Store) =>
    Number(
      (
        await s.get<{ n: number }>(
          "select count(*) as n from audit_records where action in ('view-medication', 'view-checkup')",
        )
      )?.n,
    );

  describe('refusals, each with its code and without an audit record', () => {
    const refused = async (path: string, c: Call, code: string, status: number) => {
      const before = await views(store());
      const reply = await call(path, c);
      assert.equal(json(reply).code, code);
      assert.equal(reply.status, status);
      assert.equal(await views(store()), before, 'a refusal is not a view');
    };

    it('no terminal user, no viewer role, another role', async () => {
      clock.set(new Date(T0.getTime() + HOUR));
      const body = yzk(world.alice);
      const user = { 'x-onshi-terminal-user': 'clerk1' };
      await refused(medinfoPaths.medications, { body, headers: {} }, 'MEDINFO_TERMINAL_USER_REQUIRED', 400);
      await refused(medinfoPaths.medications, { body, headers: user }, 'MEDINFO_ROLE_REQUIRED', 403);
      const clerk = { ...user, 'x-onshi-terminal-role': 'clerk' };
      await refused(medinfoPaths.checkups, { body, headers: clerk }, 'MEDINFO_ROLE_REQUIRED', 403);
    });

    it('no consent, consent at another institution, for another category, revoked, expired', async () => {
      clock.set(new Date(T0.getTime() + HOUR));
      const { medications, checkups } = medinfoPaths;
      await refused(medications, { body: yzk(world.bob) }, 'MEDINFO_CONSENT_NONE', 403);
      await refused(medications, { body: yzk(world.carol) }, 'MEDINFO_CONSENT_OTHER_INSTITUTION', 403);
      await refused(checkups, { body: yzk(world.dave) }, 'MEDINFO_CONSENT_OTHER_CATEGORY', 403);
      await refused(medications, { body: yzk(world.erin) }, 'MEDINFO_CONSENT_REVOKED', 403);
      // Alice's outpatient consent is valid 24 hours.
      clock.set(new Date(T0.getTime() + 24 * HOUR + 1000));
      await refused(medications, { body: yzk(world.alice) }, 'MEDINFO_CONSENT_EXPIRED', 403);
      await refused(checkups, { body: yzk(world.alice) }, 'MEDINFO_CONSENT_EXPIRED', 403);
    });

    it('an unknown person, several persons on one card, a message for another institution, a bad period', async () => {
      clock.set(new Date(T0.getTime() + HOUR));
      const stranger = { ...world.alice, birthdate: '1958-02-04' };
      await refused(medinfoPaths.medications, { body: yzk(stranger) }, 'MEDINFO_PERSON_NOT_FOUND', 404);
      const other = yzk(world.alice, {}, otherClinic);
      await refused(medinfoPaths.medications, { body: other }, 'AUTH_INSTITUTION_MISMATCH', 403);
      const reversed = yzk(world.alice, { StartDate: '202605', EndDate: '202601' });
      await refused(medinfoPaths.medications, { body: reversed }, 'MSG_FIELD_INVALID', 400);
      const diagnosis = yzk(world.alice, { FileCategory: '4' });
      await refused(medinfoPaths.medications, { body: diagnosis }, 'MSG_FIELD_INVALID', 400);
      // Twins on one card, told apart only by the branch number.
      for (const branch of ['01', '02']) {
        const personId = await addPerson(store(), { birthdate: '2010-10-10' });
        await addQualification(store(), {
          personId,
          insurerNumber: insurer,
          cardSymbol: '記号',
          cardNumber: '2001',
          branchNumber: branch,
          qualificationDate: '2010-10-10',
          personalFamily: '2',
        });
      }
      const twins = { personId: 0, cardNumber: '2001', birthdate: '2010-10-10' };
      const { BranchNumber: _, ...noBranch } = cardHeader(twins);
      const ambiguous = { MessageHeader: noBranch, MessageBody: {} };
      await refused(medinfoPaths.medications, { body: ambiguous }, 'MEDINFO_PERSON_AMBIGUOUS', 409);
      const { Birthdate: __, ...noBranchNoBirth } = noBranch;
      const cardOnly = { MessageHeader: noBranchNoBirth, MessageBody: {} };
      await refused(medinfoPaths.medications, { body: cardOnly }, 'MEDINFO_PERSON_AMBIGUOUS', 409);
      const one = { MessageHeader: { ...noBranch, BranchNumber: '02' }, MessageBody: {} };
      await refused(medinfoPaths.medications, { body: one }, 'MEDINFO_CONSENT_NONE', 403);
      // Without a birth date the 枝番 alone tells the twins apart (§2.7 sends no birth date).
      const oneByBranch = { MessageHeader: { ...noBranchNoBirth, BranchNumber: '01' }, MessageBody: {} };
      await refused(medinfoPaths.medications, { body: oneByBranch }, 'MEDINFO_CONSENT_NONE', 403);
      // A birth date, when given, must still match.
      const wrongBirth = { MessageHeader: { ...noBranch, BranchNumber: '01', Birthdate: '20101011' } };
      await refused(
        medinfoPaths.medications,
        { body: { ...wrongBirth, MessageBody: {} } },
        'MEDINFO_PERSON_NOT_FOUND',
        404,
      );
    });

    it('answers an XML request’s refusal as an XML result (SegmentOfResult 9, ResultCode 2)', async () => {
      clock.set(new Date(T0.getTime() + HOUR));
      const xml = encodeMessage(yzk(world.bob), medicationInformationRequestSchema, {
        encoding: 'shift_jis',
      });
      const reply = await call(medinfoPaths.medications, { body: xml, type: 'application/xml' });
      assert.equal(reply.status, 403);
      assert.match(String(reply.headers?.['content-type']), /Shift_JIS/);
      const result = decodeMessage(reply.body as Uint8Array, medicationInformationResultSchema);
      assert.equal(result.MessageHeader.SegmentOfResult, '9');
      assert.equal(result.MessageHeader.ErrorCode, 'MEDINFO_CONSENT_NONE');
      assert.equal(result.MessageHeader.CharacterCodeIdentifier, '1');
      assert.equal(result.MessageBody.ResultCode, '2');
      assert.match(result.MessageBody.MessageContents ?? '', /同意がありません/);
    });
  });

  describe('answers under a live consent', () => {
    before(() => clock.set(new Date(T0.getTime() + HOUR)));

    it('YZK as JSON: by month and institution, the last 3 years, with drug, dose, unit, days, prescriber, dispenser', async () => {
      const reply = await call(medinfoPaths.medications, {
        body: {
          ...yzk(world.alice),
          MessageHeader: { ...cardHeader(world.alice), ArbitraryFileIdentifier: 'f1' },
        },
        headers: { ...viewer, accept: 'application/json' },
      });
      assert.equal(reply.status, 200);
      const result: MedicationInformationResult = json(reply).XmlMsg;
      assert.equal(result.MessageHeader.ArbitraryFileIdentifier, 'f1');
      assert.deepEqual(result.MessageHeader.QuaInf, {
        Name: '試験　有栖',
        KanaName: 'ｼｹﾝ ﾀﾛｳ',
        Birth: '19580203',
        AdmGendCode: '1',
      });
      assert.deepEqual([result.MessageBody.StartDate, result.MessageBody.EndDate], ['202306', '202606']);
      const months = result.MessageBody.MeTrMonthInf ?? [];
      assert.deepEqual(
        months.map((m) => [m.MeTrMonth, m.DiOrg, m.MeTrDiHCd, m.PrlsHCd]),
        [
          ['202604', '1', clinic, clinic],
          ['202605', '4', pharmacy, clinic],
        ],
        'the dispensing of 2023-04 is older than 3 years',
      );
      const [clinicDay] = months[0]!.DiDateInfs.DiDateInf;
      assert.equal(clinicDay?.DiDate, '20260407');
      assert.deepEqual(clinicDay?.DrugInfs.DrugInf[0], {
        DrugC: loxoprofen!.drugCode,
        DrugN: loxoprofen!.name,
        IngreN: loxoprofen!.genericName,
        Qua1: '1.5',
        Unit: loxoprofen!.unit,
        Times: '5',
        MeTrIdCl: '22',
      });
      const pharmacyDay = months[1]!.DiDateInfs.DiDateInf[0]!;
      assert.deepEqual([pharmacyDay.DiDate, pharmacyDay.PrDate], ['20260512', '20260512']);
      assert.deepEqual(
        pharmacyDay.DrugInfs.DrugInf.map((d) => [d.DrugC, d.Qua1, d.Times, d.UsageN]),
        [
          [amlodipine!.drugCode, '1', '28', '1日1回朝食後'],
          [pharmacyDay.DrugInfs.DrugInf[1]!.DrugC, '1', '28', '1日1回朝食後'],
        ],
      );
    });

    it('YZK and TKK without Birthdate (the §2.7 header: 保険者番号 + 記号 + 番号 + 枝番)', async () => {
      const { Birthdate: _, ...header } = cardHeader(world.alice);
      const body = { MessageHeader: header, MessageBody: {} };
      const medications = await call(medinfoPaths.medications, { body });
      assert.equal(medications.status, 200);
      const yzkResult: MedicationInformationResult = json(medications).XmlMsg;
      assert.equal(yzkResult.MessageHeader.QuaInf?.Birth, '19580203');
      assert.equal(yzkResult.MessageBody.MeTrMonthInf?.length, 2);
      const checkups = await call(medinfoPaths.checkups, { body });
      assert.equal(checkups.status, 200);
      const tkkResult: CheckupInformationResult = json(checkups).XmlMsg;
      assert.equal(tkkResult.MessageBody.SpecificHealthCheckupInfo?.length, 1);
    });

    it('YZK for a requested range only', async () => {
      const body = yzk(world.alice, { StartDate: '202605', EndDate: '202605' });
      const result: MedicationInformationResult = json(await call(medinfoPaths.medications, { body })).XmlMsg;
      assert.deepEqual(
        result.MessageBody.MeTrMonthInf?.map((m) => m.MeTrMonth),
        ['202605'],
      );
    });

    it('YZK from a Shift_JIS XML request: XML in Shift_JIS (the default for XML)', async () => {
      const request: MedicationInformationRequest = yzk(world.alice, { FileCategory: '2' });
      const xml = encodeMessage(request, medicationInformationRequestSchema, { encoding: 'shift_jis' });
      const reply = await call(medinfoPaths.medications, { body: xml, type: 'application/xml' });
      assert.equal(reply.status, 200);
      assert.match(String(reply.headers?.['content-type']), /^application\/xml; charset=Shift_JIS/);
      const result = decodeMessage(reply.body as Uint8Array, medicationInformationResultSchema);
      assert.equal(result.MessageHeader.CharacterCodeIdentifier, '1');
      assert.equal(result.MessageBody.ResultCode, '1');
      assert.equal(result.MessageBody.MeTrMonthInf?.length, 2);
    });

    it('YZK as a PDF (Accept, or FileCategory 1): pages that parse, with the patient, institution and drugs', async () => {
      const xml = encodeMessage(yzk(world.alice), medicationInformationRequestSchema, { encoding: 'utf-8' });
      const accepted = await call(medinfoPaths.medications, {
        body: xml,
        type: 'application/xml',
        headers: { ...viewer, accept: 'application/pdf' },
      });
      const byCategory = await call(medinfoPaths.medications, {
        body: yzk(world.alice, { FileCategory: '1' }),
      });
      for (const reply of [accepted, byCategory]) {
        assert.equal(reply.status, 200);
        assert.equal(reply.headers?.['content-type'], 'application/pdf');
        const pdf = inspectPdf(reply.body as Uint8Array);
        assert.equal(pdf.pageCount, 1);
        const text = pdf.pageTexts[0]!.join('\n');
        assert.match(text, /薬剤情報/);
        assert.match(text, new RegExp(`医療機関コード ${clinic}`));
        assert.match(text, /氏名 試験　有栖/);
        assert.match(text, /2026年05月　調剤 \d{10}　処方 \d{10}/);
        assert.ok(text.includes('2026/05/12'));
        assert.ok(text.includes(amlodipine!.name.slice(0, 6)));
      }
    });

    it('TKK as JSON: items with code, name, value, unit, range and date, the last 5 years', async () => {
      const reply = await call(medinfoPaths.checkups, { body: yzk(world.alice) });
      const result: CheckupInformationResult = json(reply).XmlMsg;
      assert.equal(result.MessageHeader.QualificationsInfo?.KanasName, 'ｼｹﾝ ﾀﾛｳ');
      const exams = result.MessageBody.SpecificHealthCheckupInfo ?? [];
      assert.deepEqual(
        exams.map((e) => [e.EffectiveTime, e.HealthCheckupInstitutionCode]),
        [['20250520', checkupCentre]],
        'the examination of 2020 is older than 5 years',
      );
      const items = exams[0]!.HealthCheckupResultAndQuestionInfos.HealthCheckupResultAndQuestionInfo;
      const bp = items.find((i) => i.ItemCode === '9A755000000000001');
      assert.deepEqual(
        [bp?.ItemName, bp?.DataType, bp?.DataValue, bp?.Unit, bp?.ReferenceRangeHigh, bp?.InterpretationCode],
        ['収縮期血圧', 'PQ', '138', 'mmHg', '129', 'H'],
      );
      const urine = items.find((i) => i.ItemCode === '1A020000000190111');
      assert.deepEqual([urine?.DataType, urine?.DataValue, urine?.DataValueName], ['CO', '1', '－']);
    });

    it('TKK as XML (UTF-8) and as a PDF', async () => {
      const xml = encodeMessage(yzk(world.alice), medicationInformationRequestSchema, { encoding: 'utf-8' });
      const reply = await call(medinfoPaths.checkups, { body: xml, type: 'application/xml' });
      const result = decodeMessage(reply.body as Uint8Array, checkupInformationResultSchema);
      assert.equal(result.MessageHeader.CharacterCodeIdentifier, '0');
      assert.equal(result.MessageBody.SpecificHealthCheckupInfo?.length, 1);
      const pdf = await call(medinfoPaths.checkups, {
        body: yzk(world.alice),
        headers: { ...viewer, accept: 'application/pdf' },
      });
      const text = inspectPdf(pdf.body as Uint8Array)
        .pageTexts.flat()
        .join('\n');
      assert.match(text, /特定健診情報/);
      assert.match(text, new RegExp(`実施日 2025年05月20日　健診機関 ${checkupCentre}`));
      for (const word of ['収縮期血圧', '138', 'mmHg', '〜129', '尿糖', '－'])
        assert.ok(text.includes(word), word);
    });

    it('records every view with the terminal user and the reason, in an intact chain', async () => {
      const before = await views(store());
      await call(medinfoPaths.medications, { body: yzk(world.alice) });
      await call(medinfoPaths.checkups, { body: yzk(world.alice) });
      const rows = await store().all<{
        action: string;
        terminal_user: string;
        person_id: number;
        reason: string;
      }>(
        "select action, terminal_user, person_id, reason, institution_code from audit_records where action like 'view-%' order by seq",
      );
      assert.equal(rows.length, before + 2);
      assert.deepEqual(
        rows.slice(-2).map((r) => [r.action, r.terminal_user, Number(r.person_id), r.reason]),
        [
          ['view-medication', '医師　一郎', world.alice.personId, '同意 YZK'],
          ['view-checkup', '医師　一郎', world.alice.personId, '同意 TKK'],
        ],
      );
      assert.equal((await verifyAuditChain(store())).ok, true);
    });
  });

  describe('disaster mode', () => {
    let declarationStart: Date;
    before(async () => {
      declarationStart = new Date(T0.getTime() + 2 * HOUR);
      clock.set(declarationStart);
      await disaster.locate(clinic, '13101');
      await disaster.locate(otherClinic, '13102');
      await disaster.open({
        name: '令和8年 試験地震',
        municipalities: ['13101'],
        startsAt: declarationStart,
        endsAt: new Date(declarationStart.getTime() + 72 * HOUR),
      });
      clock.set(new Date(declarationStart.getTime() + HOUR));
    });
    const byPerson = (p: Patient, reason?: string, institution = clinic) => ({
      MessageHeader: { MedicalInstitutionCode: institution, DisasterPersonIdentifier: String(p.personId) },
      MessageBody: reason === undefined ? {} : { DisasterUseReason: reason },
    });

    it('views a person found by a disaster search, without consent, recording the reason', async () => {
      const found = await disaster.search(
        clinic,
        { nameKana: 'ｼｹﾝ ﾀﾛｳ', birthdate: '19710708', reason: '避難所から搬送' },
        { terminalUser: '医師　一郎' },
      );
      assert.deepEqual(
        found.persons.map((p) => p.personId),
        [world.bob.personId],
      );
      const reply = await call(medinfoPaths.medications, { body: byPerson(world.bob, '意識障害のため') });
      assert.equal(reply.status, 200);
      assert.equal(json(reply).XmlMsg.MessageHeader.QuaInf.Name, '災害　次郎');
      const tkk = await call(medinfoPaths.checkups, {
        body: { ...yzk(world.bob), MessageBody: { DisasterUseReason: '同上' } },
      });
      assert.equal(tkk.status, 200, 'card data in disaster mode');
      const last = await store().all<{ action: string; reason: string }>(
        'select action, reason from audit_records order by seq desc limit 2',
      );
      assert.match(last[1]!.reason, /^災害時 \d+: 意識障害のため$/);
      assert.equal(last[1]!.action, 'view-medication');
      assert.equal(last[0]!.action, 'view-checkup');
    });

    it('refuses without a reason, a person not found by a search, outside the area, after the period', async () => {
      const refused = async (c: Call, code: string) => {
        const before = await views(store());
        assert.equal(json(await call(medinfoPaths.medications, c)).code, code);
        assert.equal(await views(store()), before);
      };
      await refused({ body: byPerson(world.bob) }, 'DISASTER_REASON_REQUIRED');
      await refused({ body: byPerson(world.bob, '  ') }, 'DISASTER_REASON_REQUIRED');
      await refused({ body: byPerson(world.carol, '救急') }, 'MEDINFO_PERSON_NOT_SEARCHED');
      await refused(
        { body: byPerson(world.bob, '救急', otherClinic), institution: otherClinic },
        'DISASTER_OUTSIDE_AREA',
      );
      clock.set(new Date(declarationStart.getTime() + 73 * HOUR));
      await refused({ body: byPerson(world.bob, '救急') }, 'DISASTER_PERIOD_OVER');
    });
  });
});
