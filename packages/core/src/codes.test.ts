import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertCode,
  type CodeOf,
  codeLabel,
  codeTables,
  isCode,
  isCodeTableId,
  LimitCategory,
  LinkedSystemId,
  QualificationValidity,
  type QualificationValidityCode,
  SegmentOfResult,
  TwoFactorMethod,
  twoFactorMethodLabel,
} from './codes.ts';
import { OnshiError } from './errors.ts';

/**
 * oqs-interface.md §2.9, transcribed independently of codes.tables.ts: `id name | code label, …`.
 * Annotations in the doc ("(医療保険 only)", "(70–74)") are dropped; OQSCD042 is checked below.
 */
const transcribed = `
OQSCD001 限度額適用認定証同意フラグ | 0 未同意, 1 同意
OQSCD002 照会区分 | 1 マイナンバーカード, 2 被保険者証情報
OQSCD003 処理結果区分 | 1 正常終了, 2 処理中, 9 異常終了
OQSCD004 処理結果状況 | 1 正常終了, 2 エラー
OQSCD005 文字コード識別 | 0 UTF-8, 1 Shift_JIS
OQSCD006 資格有効性 | 1 有効, 2 無効, 3 無効（新しい資格あり）, 4 該当資格なし, 5 複数該当, 6 有効（未登録）
OQSCD007 性別 | 1 男, 2 女, 3 未設定
OQSCD008 資格喪失事由 | 01 死亡, 02 生活保護受給開始, 03 医療保険等の資格取得, 99 その他
OQSCD009 本人・家族区分 | 1 本人, 2 家族
OQSCD010 被保険者証区分 | 01 被保険者証（一般）, 02 被保険者証（退職）, 03 短期被保険者証（一般）, 04 短期被保険者証（退職）, 05 被保険者資格証明書, 06 特例退職被保険者証, 07 自衛官診療証, A1 医療扶助
OQSCD011 限度額適用認定証区分 | 01 限度額適用認定証, 02 限度額適用・標準負担額減額認定証, 03 標準負担額減額認定証
OQSCD012 限度額適用認定証適用区分 | A01 ア, A02 イ, A03 ウ, A04 エ, A05 オ, A06 オ（境）, B01 現役並みⅢ, B02 現役並みⅡ, B03 現役並みⅠ, B04 一般, B05 低所得Ⅱ, B06 低所得Ⅰ, B07 低所得Ⅰ（老福）, B08 低所得Ⅰ（境）, B09 一般Ⅱ, B10 一般Ⅰ
OQSCD013 特定疾病療養受療証認定疾病区分 | 1 人工透析を要する慢性腎不全, 2 先天性血液凝固因子障害（第VIII・IX因子）, 3 血液凝固因子製剤起因のHIV感染症
OQSCD014 限度額適用認定証情報変更有無 | 0 変更なし, 1 変更あり又は判定不能
OQSCD015 未就学区分 | 1 未就学該当
OQSCD016 同意区分 | 0 同意なし, 1 同意あり, 2 同意有効期限切れ, 3 同意取得困難
OQSCD017 処方箋発行形態 | 1 電子処方箋, 2 紙の処方箋
OQSCD018 医療券・調剤券別 | 01 医療券, 02 調剤券
OQSCD019 診療別 | 01 入院, 02 入院外, 03 歯科, 04 調剤, 05 訪問看護
OQSCD020 単独・併用別 | 01 単独, 02 併用
OQSCD021 社会保険状況 | 01 あり, 02 なし
OQSCD022 社会保険状況の整合性フラグ | 1 不整合あり
OQSCD023 感染症法37条の2該当状況 | 01 あり, 02 なし
OQSCD024 後期高齢者医療該当状況 | 01 あり, 02 なし
OQSCD025 都道府県費該当状況 | 01 あり, 02 なし
OQSCD026 指定医療機関確認フラグ | 0 一致, 1 不一致
OQSCD027 同一個人有無フラグ | 1 同一個人あり
OQSCD028 診療区分 | 1 外来, 2 訪問診療等, 3 オンライン診療等, 4 救急時
OQSCD029 医療情報種別 | TKK 特定健診情報, YZK 薬剤情報等
OQSCD030 薬剤情報等表示 | 0 表示しない, 1 表示する
OQSCD031 同意有効期限切れ理由 | 0 有効期限切れ（診療形態により異なる）, 1 医療機関による取消, 2 患者による取消, 3 用途変更による取消
OQSCD032 資格情報変更確認フラグ | 0 一致, 1 不一致
OQSCD033 URL取得区分 | 2 訪問診療等, 3 オンライン診療等
OQSCD034 出力形式 | 1 PDF, 2 PNG
OQSCD035 URL変更区分 | 0 変更しない, 1 変更する
OQSCD036 閲覧同意情報種別 | TSR 特定疾病療養受療証, TKK 特定健診, YZK 薬剤・処方, SRJ 診療・その他アレルギー等・薬剤アレルギー等・検査, SHJ 手術・傷病名・感染症
OQSCD037 利用設定区分 | 0 利用しない, 1 利用する
OQSCD038 電子処方箋利用区分 | 0 利用しない, 1 電子のみ, 2 電子+紙併用, 3 紙のみ
OQSCD039 処方箋発行形態選択タイミング | 1 資格確認時以外, 2 資格確認時
OQSCD040 情報要求パターン | 1 救急用サマリー, 2 救急用全量版, 3 電子処方箋+救急サマリー+救急全量, 4 現行の薬剤情報, 5 現行の診療／薬剤情報, 6 現行の特定健診情報
OQSCD041 二要素認証要素区分 | 1 記憶, 2 生体情報, 3 物理媒体
OQSCD043 救急時閲覧権限有無 | 0 権限無し, 1 権限あり
OQSCD044 連携システムID | 01 医療費助成, 2 母子保健, 4 予防接種, 8 介護保険
`;

function parseTranscription(text: string): Map<string, { name: string; values: Record<string, string> }> {
  const tables = new Map<string, { name: string; values: Record<string, string> }>();
  for (const line of text.trim().split('\n')) {
    const [head, body] = line.split(' | ') as [string, string];
    const [id, name] = head.split(' ') as [string, string];
    const values: Record<string, string> = {};
    for (const entry of body.split(', ')) {
      const space = entry.indexOf(' ');
      values[entry.slice(0, space)] = entry.slice(space + 1);
    }
    tables.set(id, { name, values });
  }
  return tables;
}

/** OQSCD042 per OQSCD041 factor, from the doc. */
const twoFactorTranscribed: Record<string, Record<string, string>> = {
  '1': { '01': 'ID/パスワード', '02': 'PIN', '03': '秘密の質問' },
  '2': { '01': '指紋', '02': '顔', '03': '音声', '04': '静脈', '05': '虹彩' },
  '3': { '01': 'ICカード', '02': 'OTP', '03': 'その他' },
};

describe('code tables', () => {
  const expected = parseTranscription(transcribed);

  it('has exactly OQSCD001–OQSCD044', () => {
    const ids = Array.from({ length: 44 }, (_, i) => `OQSCD${String(i + 1).padStart(3, '0')}`);
    assert.deepEqual(Object.keys(codeTables).sort(), ids);
    for (const id of ids) assert.equal(codeTables[id as keyof typeof codeTables].id, id);
  });

  it('matches the transcription of every entry of every table (except OQSCD042)', () => {
    assert.equal(expected.size, 43);
    for (const [id, table] of expected) {
      assert.ok(isCodeTableId(id), id);
      assert.equal(codeTables[id].name, table.name, id);
      assert.deepEqual({ ...codeTables[id].values }, table.values, id);
    }
  });

  it('holds every OQSCD042 code and labels it per OQSCD041 factor', () => {
    const allCodes = new Set(Object.values(twoFactorTranscribed).flatMap((m) => Object.keys(m)));
    assert.deepEqual(Object.keys(codeTables.OQSCD042.values).sort(), [...allCodes].sort());
    for (const [factor, methods] of Object.entries(twoFactorTranscribed)) {
      assert.ok(isCode('OQSCD041', factor));
      for (const [method, label] of Object.entries(methods)) {
        assert.equal(twoFactorMethodLabel(factor, method), label, `${factor}/${method}`);
      }
    }
    assert.equal(twoFactorMethodLabel('1', '04'), undefined);
    assert.equal(twoFactorMethodLabel('4', '01'), undefined);
    assert.deepEqual(Object.values(TwoFactorMethod.biometric), ['01', '02', '03', '04', '05']);
  });

  it('derives the English-keyed constants from the same definitions', () => {
    assert.deepEqual(QualificationValidity, {
      valid: '1',
      invalid: '2',
      invalidNewQualification: '3',
      notFound: '4',
      multiple: '5',
      validUnregistered: '6',
    });
    assert.equal(SegmentOfResult.processing, '2');
    assert.equal(LimitCategory.general1, 'B10');
    assert.equal(LimitCategory.oBorderline, 'A06');
    assert.equal(LinkedSystemId.longTermCare, '8');
    assert.ok(Object.isFrozen(QualificationValidity));
    assert.ok(Object.isFrozen(codeTables.OQSCD006.values));
  });

  it('looks codes up, refuses unknown ones and inherited property names', () => {
    assert.equal(codeLabel('OQSCD006', '3'), '無効（新しい資格あり）');
    assert.equal(codeLabel('OQSCD006', '7'), undefined);
    assert.equal(codeLabel('OQSCD006', 'toString'), undefined);
    assert.equal(isCode('OQSCD010', 'A1'), true);
    assert.equal(isCode('OQSCD010', 'a1'), false);
    assert.equal(isCode('OQSCD008', '1'), false);
    assert.equal(isCodeTableId('OQSCD045'), false);
    assert.equal(isCodeTableId('constructor'), false);
    const code: CodeOf<'OQSCD006'> = assertCode('OQSCD006', '5');
    const typed: QualificationValidityCode = code;
    assert.equal(typed, '5');
    // @ts-expect-error '7' is not an OQSCD006 code
    const wrong: QualificationValidityCode = '7';
    assert.equal(isCode('OQSCD006', wrong), false);
    assert.throws(
      () => assertCode('OQSCD003', '3'),
      (e: unknown) => e instanceof OnshiError && e.code === 'CODE_UNKNOWN' && e.params.value === '3',
    );
  });
});
