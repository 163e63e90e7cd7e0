/** A readable Japanese summary of an estimate (the CLI's default output). */
import type { SubsidyEstimate } from './subsidy.estimate.ts';
import { yen } from './subsidy.reasons.ts';

export function summariseEstimate(e: SubsidyEstimate): string {
  const tax = e.taxIncluded ? '（税込）' : '';
  const lines = [
    `補助額の試算: ${e.programme.name.ja}`,
    `  種別            ${e.kindName.ja}`,
    `  カードリーダー  ${e.readers} 台（無償提供 ${e.freeReaders} 台まで${e.readersToBuy > 0 ? `、購入 ${e.readersToBuy} 台` : ''}）`,
    `  その他の費用    ${yen(e.costYen)} 円${tax}`,
  ];
  if (e.rule !== null) lines.push(`  適用する規則    ${e.rule.name.ja}`);
  if (e.cap !== null) lines.push(`  補助上限        ${yen(e.cap)} 円${tax}`);
  if (e.subsidisedCostYen !== null) lines.push(`  補助対象額      ${yen(e.subsidisedCostYen)} 円`);
  if (e.rate !== null) lines.push(`  補助率          ${e.rate}`);
  lines.push(`  補助額          ${yen(e.subsidy)} 円${e.eligible ? '' : '（補助対象外）'}`, '', '理由:');
  for (const r of e.reasons) lines.push(`  - ${r.ja}`);
  return `${lines.join('\n')}\n`;
}
