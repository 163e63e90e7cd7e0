/** The explanations an estimate carries, each in Japanese and English. */
import type { LocalDate } from '@onshi/core';
import type { BilingualText, SubsidyRule } from './subsidy.programme.ts';

export interface SubsidyReason extends BilingualText {
  /** Stable identifier of the kind of reason, e.g. 'no-reader', 'cap', 'completion-deadline-missed'. */
  readonly id: string;
}

/** 2101000 → '2,101,000'. */
export function yen(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const reason = (id: string, ja: string, en: string): SubsidyReason => ({ id, ja, en });

export const reasons = {
  noReader: () =>
    reason(
      'no-reader',
      '顔認証付きカードリーダーを導入しない場合は、システム改修に要する費用等を含め、全て補助金の交付対象外です。',
      'Without a face-auth card reader nothing is subsidised, the system changes included.',
    ),

  noRule: (appliedOn: LocalDate) =>
    reason(
      'no-rule',
      `カードリーダーの申込日 ${appliedOn} に当てはまる補助の規則がありません。`,
      `No rule of the programme covers a reader applied for on ${appliedOn}.`,
    ),

  rule: (rule: SubsidyRule, appliedOn: LocalDate, skipped: readonly SubsidyRule[]) => {
    const { readerAppliedOnOrBefore: by, readerAppliedOnOrAfter: from } = rule.when;
    const ja = [from && `${from} 以降`, by && `${by} 以前`].filter(Boolean).join('かつ');
    const en = [from && `on or after ${from}`, by && `on or before ${by}`].filter(Boolean).join(' and ');
    const others = skipped.map((r) => `「${r.name.ja}」`).join('');
    const othersEn = skipped.map((r) => `“${r.name.en}”`).join(', ');
    return ja !== ''
      ? reason(
          'rule',
          `カードリーダーの申込日 ${appliedOn} は ${ja}のため「${rule.name.ja}」を適用します。`,
          `The reader was applied for on ${appliedOn}, ${en}: “${rule.name.en}” applies.`,
        )
      : reason(
          'rule',
          `カードリーダーの申込日 ${appliedOn} は${others}の条件に当たらないため「${rule.name.ja}」を適用します。`,
          `The reader was applied for on ${appliedOn}, outside ${othersEn}: “${rule.name.en}” applies.`,
        );
  },

  tier: (kind: BilingualText, readers: number, capYen: number, rate: string, taxIncluded: boolean) =>
    reason(
      'cap',
      `${kind.ja}で顔認証付きカードリーダーを ${readers} 台導入する場合: 基準とする事業額 ${yen(capYen)} 円${taxIncluded ? '（消費税込み）' : ''}を上限に、その ${rate} を補助。`,
      `A ${kind.en} introducing ${readers} face-auth reader(s): ${rate} of the cost up to a cap of ${yen(capYen)} yen${taxIncluded ? ' (tax included)' : ''}.`,
    ),

  tierBeyondTable: (readers: number, tableReaders: number) =>
    reason(
      'tier-beyond-table',
      `表は ${tableReaders} 台までのため、${readers} 台でも ${tableReaders} 台導入の場合の上限を使います。`,
      `The table stops at ${tableReaders} reader(s); ${readers} readers use its ${tableReaders}-reader cap.`,
    ),

  beyondQuota: (freeReaders: number, toBuy: number) =>
    reason(
      'readers-beyond-quota',
      `顔認証付きカードリーダーの無償提供は ${freeReaders} 台までです。残る ${toBuy} 台は販売店等に直接注文が必要で、その購入費はこの補助の対象に含めていません。`,
      `Only ${freeReaders} reader(s) are provided free; the other ${toBuy} must be bought from a dealer and are not part of this subsidy.`,
    ),

  cost: (costYen: number, capYen: number) =>
    costYen <= capYen
      ? reason(
          'cost-within-cap',
          `その他の費用 ${yen(costYen)} 円は上限以内のため、全額が補助対象です。`,
          `The other costs, ${yen(costYen)} yen, are within the cap: all of it counts.`,
        )
      : reason(
          'cost-over-cap',
          `その他の費用 ${yen(costYen)} 円のうち、上限の ${yen(capYen)} 円までが補助対象です。`,
          `Of the other costs, ${yen(costYen)} yen, only the cap of ${yen(capYen)} yen counts.`,
        ),

  amount: (basisYen: number, rate: string, amount: number, unitYen: number, roundedAway: boolean) => {
    const unit = unitYen === 1 ? '1 円' : `${yen(unitYen)} 円`;
    return reason(
      'rate',
      `${yen(basisYen)} 円 × ${rate} = ${yen(amount)} 円${roundedAway ? `（${unit}未満切り捨て）` : ''}。`,
      `${yen(basisYen)} yen × ${rate} = ${yen(amount)} yen${roundedAway ? ` (rounded down to a multiple of ${yen(unitYen)} yen)` : ''}.`,
    );
  },

  completion: (completedOn: LocalDate, deadline: LocalDate) =>
    completedOn <= deadline
      ? reason(
          'completion-deadline-met',
          `補助対象事業の完了日 ${completedOn} は期限 ${deadline} 以内です。`,
          `The work was finished on ${completedOn}, by the deadline ${deadline}.`,
        )
      : reason(
          'completion-deadline-missed',
          `補助対象事業の完了日 ${completedOn} が期限 ${deadline} より後のため、補助されません。`,
          `The work was finished on ${completedOn}, after the deadline ${deadline}: nothing is subsidised.`,
        ),

  application: (appliedOn: LocalDate | undefined, deadline: LocalDate) => {
    if (appliedOn === undefined) {
      return reason(
        'application-deadline',
        `補助金の申請は ${deadline} までに行う必要があります。`,
        `The subsidy must be applied for by ${deadline}.`,
      );
    }
    return appliedOn <= deadline
      ? reason(
          'application-deadline-met',
          `補助金の申請日 ${appliedOn} は期限 ${deadline} 以内です。`,
          `The subsidy was applied for on ${appliedOn}, by the deadline ${deadline}.`,
        )
      : reason(
          'application-deadline-missed',
          `補助金の申請日 ${appliedOn} が期限 ${deadline} より後のため、補助されません。`,
          `The subsidy was applied for on ${appliedOn}, after the deadline ${deadline}: nothing is subsidised.`,
        );
  },
};
