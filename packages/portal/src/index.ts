/** The portal (医療機関等向けポータルサイト) and the operator console. */

export { type Checklist, type ChecklistStep, computeChecklist, type Stage } from './checklist/checklist.ts';
export { type MailMessage, type SmtpSettings, sendSmtp } from './mail/smtp.ts';
export { barChartSvg } from './operator/charts.ts';
export { ensurePortalDirectory, type PortalDirectory } from './portal.dir.ts';
// --- the portal and the operator console: startPortal (see README.md)
export { type OperatorLogin, type PortalSettings, type RunningPortal, startPortal } from './portal.ts';

// --- subsidy (オンライン資格確認関係補助金): programmes as data, the estimate
export * from './subsidy/index.ts';
