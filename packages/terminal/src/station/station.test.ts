/** Unit tests of the terminal's station modules: users, face file names, settings, certificate expiry, results. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cardCheckPaths as centralCardCheckPaths } from '@onshi/central';
import { OnshiError, type QualificationConfirmResult } from '@onshi/core';
import { daysLeft, expiryWarning } from './station.certs.ts';
import { openStationDb, STATION_SCHEMA_VERSION } from './station.db.ts';
import {
  faceFileName,
  MAX_FACE_FILE_BYTES,
  newSessionId,
  parseFaceFileName,
  readFaceFile,
} from './station.face.ts';
import { cardCheckPaths } from './station.paths.ts';
import { classifyOutcome, ratioTenths, resultView } from './station.result.ts';
import { applySettingsChange, createSettingsStore, defaultSettings } from './station.settings.ts';
import { assertReaderToken, ensureReaderToken } from './station.token.ts';
import { createUsers, hashPassword, verifyPassword } from './station.users.ts';

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-station-unit-'));
  const db = openStationDb(join(dir, 'terminal.db'));
  return {
    dir,
    db,
    dispose: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const code = (error: unknown) => (error instanceof OnshiError ? error.code : String(error));

describe('station store', () => {
  it('migrates a new file to the current schema version, and opens it again', () => {
    const t = tempDb();
    const version = (t.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    assert.equal(version, STATION_SCHEMA_VERSION);
    t.db.close();
    const again = openStationDb(join(t.dir, 'terminal.db'));
    again.close();
    rmSync(t.dir, { recursive: true, force: true });
  });
});

describe('users', () => {
  it('hashes passwords with scrypt and a salt; verifies only the right one', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    assert.match(a, /^scrypt\$16384\$8\$1\$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('correct horse', a), true);
    assert.equal(await verifyPassword('correct horsE', a), false);
    assert.equal(await verifyPassword('x', 'plain'), false);
  });

  it('logs in, refuses wrong passwords and disabled users alike, locks after repeated failures', async () => {
    const t = tempDb();
    let now = Date.parse('2026-12-01T00:00:00Z');
    const users = createUsers(t.db, { now: () => new Date(now) }, { lockAfter: 3, lockMs: 60_000 });
    await users.create({ login: 'clerk', role: 'clerk', password: 'password-1' });
    await assert.rejects(
      users.create({ login: 'clerk', role: 'admin', password: 'password-2' }),
      (e) => code(e) === 'TERMINAL_USER_EXISTS',
    );
    await assert.rejects(
      users.create({ login: 'weak', role: 'admin', password: 'short' }),
      (e) => code(e) === 'TERMINAL_PASSWORD_WEAK',
    );
    await assert.rejects(
      users.create({ login: 'x', role: 'root' as never, password: 'password-3' }),
      (e) => code(e) === 'MSG_FIELD_INVALID',
    );
    const { id, session } = await users.login('clerk', 'password-1');
    assert.equal(session.user.role, 'clerk');
    assert.equal(users.session(id)?.csrf, session.csrf);
    assert.equal(users.session('nope'), undefined);
    await assert.rejects(users.login('nobody', 'password-1'), (e) => code(e) === 'TERMINAL_LOGIN_FAILED');
    for (let i = 0; i < 3; i++) {
      await assert.rejects(users.login('clerk', 'wrong-pass'), (e) => code(e) === 'TERMINAL_LOGIN_FAILED');
    }
    await assert.rejects(users.login('clerk', 'password-1'), (e) => code(e) === 'TERMINAL_LOGIN_LOCKED');
    now += 60_001;
    await users.login('clerk', 'password-1');
    users.update('clerk', { disabled: true });
    assert.equal(users.session(id), undefined, 'disabling ends sessions');
    await assert.rejects(users.login('clerk', 'password-1'), (e) => code(e) === 'TERMINAL_LOGIN_FAILED');
    users.update('clerk', { disabled: false });
    await users.resetPassword('clerk', 'password-new');
    await users.login('clerk', 'password-new');
    const ensured = await users.ensure({ login: 'clerk', role: 'admin', password: 'ignored-pw' });
    assert.equal(ensured.created, false);
    assert.equal(ensured.user.role, 'clerk');
    now += 13 * 3600_000;
    assert.equal(users.session(id), undefined, 'sessions expire');
    t.dispose();
  });
});

describe('face file names', () => {
  it('follow OQSsiquc01res_face_<code 10><20 hex>_<yyyyMMddHHmmss JST>.xml', () => {
    const id = newSessionId();
    assert.match(id, /^[0-9a-f]{20}$/);
    const name = faceFileName('1310123458', id, new Date('2026-09-29T07:01:12Z'));
    assert.equal(name, `OQSsiquc01res_face_1310123458${id}_20260929160112.xml`);
    assert.deepEqual(parseFaceFileName(name), {
      institutionCode: '1310123458',
      sessionId: id,
      timestamp: '20260929160112',
    });
    // The real example of oqs-interface.md §1.2 parses the same way.
    assert.ok(parseFaceFileName('OQSsiquc01res_face_27142063864da5260a16de5a3d3ad7_20260929160112.xml'));
    assert.equal(parseFaceFileName(`.${name}.tmp`), undefined);
    assert.throws(() => faceFileName('131012345', id, new Date()));
    assert.throws(() => faceFileName('1310123458', 'XYZ', new Date()));
  });

  it('are read back only as regular files of face/: no other names, no symbolic links, no huge files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onshi-face-'));
    try {
      const faceDir = join(dir, 'face');
      const outside = join(dir, 'outside.xml');
      writeFileSync(outside, '<XmlMsg>not a face file</XmlMsg>');
      mkdirSync(faceDir);
      const name = (n: number) => faceFileName('1310123458', `${n}`.padStart(20, '0'), new Date());
      writeFileSync(join(faceDir, name(1)), '<XmlMsg/>');
      assert.equal(Buffer.from(readFaceFile(faceDir, name(1))!).toString(), '<XmlMsg/>');
      symlinkSync(outside, join(faceDir, name(2)));
      assert.equal(readFaceFile(faceDir, name(2)), undefined, 'a link is not followed');
      writeFileSync(join(faceDir, name(3)), Buffer.alloc(MAX_FACE_FILE_BYTES + 1, 0x20));
      assert.equal(readFaceFile(faceDir, name(3)), undefined, 'larger than any face file');
      assert.equal(readFaceFile(faceDir, '../outside.xml'), undefined, 'only face-file names');
      assert.equal(readFaceFile(faceDir, name(4)), undefined, 'gone');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('settings', () => {
  const base = defaultSettings('utf-8');
  it('applies partial changes, keeps display order, refuses junk', () => {
    const next = applySettingsChange(base, {
      consentScreens: ['OperationInfoConsFlg', 'PharmacistsInfoConsFlg', 'PharmacistsInfoConsFlg'],
      resultEncoding: 'shift_jis',
    });
    assert.deepEqual(next.consentScreens, ['PharmacistsInfoConsFlg', 'OperationInfoConsFlg']);
    assert.equal(next.resultEncoding, 'shift_jis');
    assert.equal(next.limitConsentScreen, base.limitConsentScreen);
    for (const bad of [
      { consentScreens: ['X'] },
      { resultEncoding: 'latin1' },
      { limitConsentScreen: 'yes' },
      { other: 1 },
      [],
    ]) {
      assert.throws(
        () => applySettingsChange(base, bad),
        (e) => code(e) === 'MSG_FIELD_INVALID',
        JSON.stringify(bad),
      );
    }
  });
  it('are stored', () => {
    const t = tempDb();
    const store = createSettingsStore(t.db, base);
    assert.deepEqual(store.get(), base);
    store.update({ prescriptionChoice: true });
    assert.equal(createSettingsStore(t.db, base).get().prescriptionChoice, true);
    t.dispose();
  });
});

describe('certificate expiry warnings', () => {
  it('rise at 90/60/30/15/7 days and on expiry', () => {
    const cases: [number, string, number | undefined][] = [
      [365, 'none', undefined],
      [91, 'none', undefined],
      [90, 'info', 90],
      [61, 'info', 90],
      [60, 'notice', 60],
      [30, 'caution', 30],
      [16, 'caution', 30],
      [15, 'warning', 15],
      [8, 'warning', 15],
      [7, 'danger', 7],
      [0, 'danger', 7],
      [-1, 'expired', 0],
    ];
    for (const [days, severity, threshold] of cases) {
      assert.deepEqual(expiryWarning(days), { severity, threshold }, `${days} days`);
    }
    assert.equal(expiryWarning(0, true).severity, 'expired');
    assert.equal(daysLeft(new Date('2026-03-31T00:00:00Z'), new Date('2026-01-01T00:00:00Z')), 89);
  });
});

const header = { ProcessExecutionTime: '20261201100000', SegmentOfResult: '1', CharacterCodeIdentifier: '0' };
const row = {
  InsuredCardClassification: '01',
  InsurerNumber: '06139993',
  Name: '厚労　花子',
  NameKana: 'ｺｳﾛｳ ﾊﾅｺ',
  Sex1: '2',
  Birthdate: '19500505',
  InsurerName: '霞が関健康保険組合',
  InsuredPartialContributionRatio: '030',
  ElderlyRecipientCertificateInfo: {
    ElderlyRecipientContributionRatio: '020',
    ElderlyRecipientValidStartDate: '20250601',
  },
  LimitApplicationCertificateRelatedInfo: {
    LimitApplicationCertificateClassification: '01',
    LimitApplicationCertificateClassificationFlag: 'B04',
  },
  PharmacistsInfoConsFlg: '1',
};
const result = (
  body: QualificationConfirmResult['MessageBody'],
  h: Partial<typeof header> & Record<string, string> = {},
) => ({ MessageHeader: { ...header, ...h }, MessageBody: body }) as QualificationConfirmResult;

describe('result classification', () => {
  it('derives the outcome from SegmentOfResult, QualificationValidity and the processing code', () => {
    const cases: [QualificationConfirmResult, string][] = [
      [result({ ProcessingResultStatus: '1', QualificationValidity: '1' }), 'valid'],
      [result({ ProcessingResultStatus: '1', QualificationValidity: '2' }), 'invalid'],
      [result({ ProcessingResultStatus: '1', QualificationValidity: '3' }), 'invalidNew'],
      [
        result({
          ProcessingResultStatus: '2',
          QualificationValidity: '4',
          ProcessingResultCode: 'ELIGIBILITY_NOT_FOUND',
        }),
        'notFound',
      ],
      [result({ ProcessingResultStatus: '2', ProcessingResultCode: 'ELIGIBILITY_NOT_FOUND' }), 'notFound'],
      [result({ ProcessingResultStatus: '1', QualificationValidity: '5' }), 'multiple'],
      [result({ ProcessingResultStatus: '1', QualificationValidity: '6' }), 'validUnregistered'],
      [result({}, { SegmentOfResult: '9', ErrorCode: 'AUTH_INSTITUTION_MISMATCH' }), 'error'],
      [result({ ProcessingResultStatus: '2', ProcessingResultCode: 'SOMETHING' }), 'error'],
    ];
    for (const [r, outcome] of cases) assert.equal(classifyOutcome(r), outcome, JSON.stringify(r));
  });

  it('shows labels, the next step, copay (the 高齢受給者 ratio first), 限度額 and consents', () => {
    const view = resultView(
      result({
        ProcessingResultStatus: '1',
        QualificationValidity: '1',
        ResultList: { ResultOfQualificationConfirmation: [row] },
      }),
    );
    assert.equal(view.label.ja, '有効');
    assert.match(view.next.ja, /受付/);
    const person = view.persons[0]!;
    assert.equal(person.copay?.tenths, 2);
    assert.equal(person.copay?.label.ja, '2割');
    assert.equal(person.elderly?.from, '2025-06-01');
    assert.equal(person.limit?.classification, '限度額適用認定証');
    assert.equal(person.limit?.category, '一般');
    assert.equal(person.birthdate, '1950-05-05');
    assert.equal(person.sex, '女');
    assert.deepEqual(person.consents, { PharmacistsInfoConsFlg: '1' });
    assert.equal(
      resultView(result({ QualificationValidity: '3' })).next.ja,
      '新しい保険証（資格確認書）を確認する',
    );
    assert.equal(
      resultView(result({ QualificationValidity: '2' })).next.ja,
      '保険証（資格確認書）の提示を求める',
    );
    const error = resultView(result({}, { SegmentOfResult: '9', ErrorCode: 'X_Y', ErrorMessage: 'だめ' }));
    assert.equal(error.code, 'X_Y');
    assert.equal(error.message, 'だめ');
    assert.equal(ratioTenths('010'), 1);
    const young = {
      ...row,
      Birthdate: '19900505',
      ElderlyRecipientCertificateInfo: undefined,
      InsuredPartialContributionRatio: undefined,
    };
    const child = { ...young, Birthdate: '20230101', PreschoolClassification: '1' };
    const body = {
      QualificationValidity: '1',
      ResultList: { ResultOfQualificationConfirmation: [young, child] },
    };
    const [adult, kid] = resultView(result(body, { QualificationConfirmationDate: '20261201' })).persons;
    assert.deepEqual(adult?.copay, {
      tenths: 3,
      byAge: true,
      label: { ja: '3割（年齢による）', en: '30% (by age)' },
    });
    assert.equal(kid?.copay?.tenths, 2);
    const seventy = { ...young, Birthdate: '19550505' };
    const elderNoCert = resultView(
      result({ ...body, ResultList: { ResultOfQualificationConfirmation: [seventy] } }),
    );
    assert.equal(elderNoCert.persons[0]?.copay, undefined, '70–74 without a certificate ratio: not guessed');
    assert.equal(ratioTenths('1'), undefined);
  });
});

describe('reader token and central paths', () => {
  it('creates the token file 0600 once and checks the bearer header', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onshi-token-'));
    const file = join(dir, 'sub', 'reader-token');
    const token = ensureReaderToken(file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(ensureReaderToken(file), token);
    assertReaderToken(`Bearer ${token}`, token);
    for (const header of [undefined, token, `Bearer ${token}x`, 'Bearer ']) {
      assert.throws(
        () => assertReaderToken(header, token),
        (e) => code(e) === 'READER_TOKEN_INVALID',
      );
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('names central’s card routes as central does', () => {
    assert.deepEqual(cardCheckPaths, { ...centralCardCheckPaths });
  });
});
