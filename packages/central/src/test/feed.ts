/**
 * An insurer feed for tests that fill a store the way an insurer does (importFeed): one 組合 and
 * `count` insured persons, as the NDJSON of onshi-qualification-feed/1.
 */

/**
 * The 組合 `insurer` (霞が関健康保険組合, Tokyo) and `count` holders 厚労　花子 (female, born
 * 1990-05-05, insured since 2020-04-01) with card numbers 1000…1000+count-1, symbol 12, branch 00.
 */
export function holdersFeed(fileId: string, insurer: string, count: number): Uint8Array {
  const lines: object[] = [
    { format: 'onshi-qualification-feed/1', fileId, createdAt: '2026-03-01T00:00:00+09:00' },
    {
      kind: 'insurer',
      insurerNumber: insurer,
      name: '霞が関健康保険組合',
      insurerKind: 'kumiai',
      prefectureCode: '13',
    },
  ];
  for (let i = 0; i < count; i++) {
    lines.push({
      kind: 'acquire',
      insurerNumber: insurer,
      cardSymbol: '12',
      cardNumber: String(1000 + i),
      branchNumber: '00',
      qualificationDate: '2020-04-01',
      personKey: `p-${i + 1}`,
      name: '厚労　花子',
      nameKana: 'ｺｳﾛｳ ﾊﾅｺ',
      sex: '2',
      birthdate: '1990-05-05',
      cardClassification: '01',
      personalFamily: '1',
      incomeTier: 'general',
    });
  }
  return new TextEncoder().encode(lines.map((line) => JSON.stringify(line)).join('\n'));
}
