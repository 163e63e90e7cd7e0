/**
 * 資格有効性 (OQSCD006) of a qualification on a date, and the judgement of a card-data lookup.
 */
import type { QualificationValidityCode } from '../codes.ts';
import type { LocalDate, Qualification } from '../domain.ts';

/**
 * True when `q` covers `on`: 資格取得年月日 ≤ on < 資格喪失年月日 (the 喪失日 is the first day
 * without coverage) and, when given, 被保険者証有効開始年月日 ≤ on ≤ 被保険者証有効終了年月日.
 */
export function isQualificationValidOn(q: Qualification, on: LocalDate): boolean {
  if (on < q.qualificationDate) return false;
  if (q.disqualificationDate !== undefined && on >= q.disqualificationDate) return false;
  if (q.cardValidDate !== undefined && on < q.cardValidDate) return false;
  if (q.cardExpirationDate !== undefined && on > q.cardExpirationDate) return false;
  return true;
}

export interface ValidityJudgement {
  readonly validity: QualificationValidityCode;
  /** The qualification to report: absent for 4 (該当資格なし) and 5 (複数該当). */
  readonly qualification?: Qualification;
}

/** The candidate with the latest 資格取得年月日 (ties: the highest qualificationId). */
function mostRecent(qualifications: readonly Qualification[]): Qualification | undefined {
  let best: Qualification | undefined;
  for (const q of qualifications) {
    if (
      best === undefined ||
      q.qualificationDate > best.qualificationDate ||
      (q.qualificationDate === best.qualificationDate && q.qualificationId > best.qualificationId)
    ) {
      best = q;
    }
  }
  return best;
}

/**
 * Judges a lookup by card data.
 *
 * `candidates` are the qualifications that match the card data (保険者番号・記号・番号・枝番) and the
 * birth date. `otherQualificationsOfPerson` is used only for the 2-versus-3 decision: callers pass
 * the person's other qualifications (any insurer) when no candidate is valid on `on`; entries of
 * another person are ignored.
 *
 * - no candidate → '4' 該当資格なし
 * - candidates of more than one person → '5' 複数該当
 * - a candidate valid on `on` → '1' 有効 with it (the most recent one if several are)
 * - otherwise the most recent candidate, with '3' 無効（新しい資格あり） when a NEWER qualification of
 *   the same person (acquired after the candidate) is valid on `on`, else '2' 無効. A card presented
 *   before its own start, while the person's older qualification still runs, is therefore '2'.
 */
export function judgeValidity(
  candidates: readonly Qualification[],
  on: LocalDate,
  otherQualificationsOfPerson: readonly Qualification[] = [],
): ValidityJudgement {
  const latest = mostRecent(candidates);
  if (latest === undefined) return { validity: '4' };
  if (new Set(candidates.map((q) => q.personId)).size > 1) return { validity: '5' };
  const valid = mostRecent(candidates.filter((q) => isQualificationValidOn(q, on)));
  if (valid !== undefined) return { validity: '1', qualification: valid };
  const hasNewer = otherQualificationsOfPerson.some(
    (q) =>
      q.personId === latest.personId &&
      q.qualificationDate > latest.qualificationDate &&
      isQualificationValidOn(q, on),
  );
  return { validity: hasNewer ? '3' : '2', qualification: latest };
}
