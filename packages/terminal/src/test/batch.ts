/**
 * The 一括照会 tests' reservations over central's eligibility scenario (a 資格確認日 of 2024-06-01,
 * and 2024-08-01 for the 限度額 change): every OQSCD006 outcome, a 限度額 change and two malformed rows.
 */
import * as scenario from '../../../central/src/eligibility/eligibility.scenario.ts';

const { newJob, retired, changedJob, twins, withCertificates } = scenario;

export const card = (c: scenario.Card) => [c.insurer, c.symbol ?? '', c.number, c.branch ?? ''];
const day = (wire: string) => `${wire.slice(0, 4)}/${Number(wire.slice(4, 6))}/${Number(wire.slice(6))}`;

/** The reservations: rows 2–6 of every outcome, row 7 a 限度額 change, rows 8 and 9 malformed. */
export const reservationCsv = [
  '予約日,保険者番号,記号,番号,枝番,生年月日,限度額同意,任意の識別子',
  ['2024-06-01', ...card(newJob), newJob.birthdate, '0', '患者-有効'].join(','),
  ['2024/6/1', ...card(retired), day(retired.birthdate), '0', '患者-無効'].join(','),
  ['20240601', ...card(changedJob), changedJob.birthdate, '', '患者-新資格'].join(','),
  ['2024-06-01', ...card({ ...newJob, number: '9999' }), newJob.birthdate, '0', '"患者,該当なし"'].join(','),
  ['2024-06-01', ...card(twins), twins.birthdate, 'なし', '患者-複数'].join(','),
  ['2024-08-01', ...card(withCertificates), withCertificates.birthdate, '1', '患者-限度額'].join(','),
  ['2024-06-01', `${newJob.insurer.slice(0, 7)}9`, '22', '3001', '', '19800505', '0', '患者-検証番号'].join(
    ',',
  ),
  ['2024-02-30', ...card(newJob), newJob.birthdate, '2', '患者-日付'].join(','),
].join('\r\n');

/**
 * 照会番号一括登録: row 2 registers (its identifier starts with `=`, a formula to a spreadsheet),
 * row 3 is ambiguous (the twins' card without 枝番 or birth date), row 4 matches no one, row 5 has a
 * wrong check digit and row 6 no 照会番号.
 */
export const referenceCsv = [
  '照会番号,保険者番号,記号,番号,枝番,生年月日,任意の識別子',
  ['P-0001', ...card(newJob), day(newJob.birthdate), '=1+1'].join(','),
  ['P-0002', twins.insurer, twins.symbol, twins.number, '', '', '受付-双子'].join(','),
  ['P-0003', ...card({ ...newJob, number: '9999' }), '', '受付-該当なし'].join(','),
  ['P-0004', `${newJob.insurer.slice(0, 7)}9`, '22', '3001', '', '', '受付-検証番号'].join(','),
  ['', ...card(newJob), '', '受付-番号なし'].join(','),
].join('\r\n');
