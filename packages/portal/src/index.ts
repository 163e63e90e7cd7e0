/** The portal (医療機関等向けポータルサイト) and the operator console. */

// --- subsidy (オンライン資格確認関係補助金): programmes as data, the estimate
export * from './subsidy/index.ts';
