/**
 * The forms of the four applications, checked (pure: the caller passes today's date and the
 * institution's facts). Every refusal is a coded error naming the field; nothing is stored until a
 * form passes.
 */
import { addMonths, assertCustomerId, isLocalDate, type LocalDate, OnshiError } from '@onshi/core';

function text(body: Record<string, unknown>, field: string, max: number): string {
  const value = typeof body[field] === 'string' ? (body[field] as string).trim() : '';
  if (value === '') throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  if ([...value].length > max) throw new OnshiError('MSG_FIELD_INVALID', { field, detail: `${max}文字以内` });
  return value;
}

function date(body: Record<string, unknown>, field: string): LocalDate {
  const value = typeof body[field] === 'string' ? (body[field] as string).trim() : '';
  if (value === '') throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  if (!isLocalDate(value)) throw new OnshiError('DATE_INVALID', { value });
  return value;
}

const labels: Readonly<Record<string, string>> = {
  plannedStart: '運用開始（予定）日',
  plannedTest: 'テスト開始（予定）日',
  completedOn: '事業完了日',
  readerAppliedOn: 'カードリーダー申込日',
};

function notPast(field: string, value: LocalDate, today: LocalDate): void {
  if (value < today)
    throw new OnshiError('PORTAL_DATE_PAST', { field: labels[field] ?? field, value, today });
}

/** Readers: how many, within the free quota left (more must be bought from a dealer). */
export function parseReaderForm(
  body: Record<string, unknown>,
  facts: { quota: number; applied: number; today: LocalDate; leadMonths: number },
) {
  const quantity = Number(body.quantity);
  if (!Number.isSafeInteger(quantity) || quantity < 1) {
    throw new OnshiError('MSG_FIELD_INVALID', { field: 'quantity', detail: '1 以上の整数' });
  }
  if (facts.applied + quantity > facts.quota) {
    throw new OnshiError('PORTAL_READER_QUOTA_EXCEEDED', { quota: facts.quota, applied: facts.applied });
  }
  return { quantity, freeQuota: facts.quota, expectedDelivery: addMonths(facts.today, facts.leadMonths) };
}

export const lineTypes = ['ip-vpn', 'ipsec-ike'] as const;

/** Usage (オンライン資格確認利用申請): planned test before planned start, both not past; customer ID for IP-VPN. */
export function parseUsageForm(body: Record<string, unknown>, today: LocalDate) {
  const plannedTest = date(body, 'plannedTest');
  const plannedStart = date(body, 'plannedStart');
  notPast('plannedTest', plannedTest, today);
  notPast('plannedStart', plannedStart, today);
  if (!(plannedStart > plannedTest)) {
    throw new OnshiError('PORTAL_DATES_OUT_OF_ORDER', {
      earlier: labels.plannedTest!,
      earlierDate: plannedTest,
      later: labels.plannedStart!,
      laterDate: plannedStart,
    });
  }
  const lineType = body.lineType as (typeof lineTypes)[number];
  if (!lineTypes.includes(lineType)) {
    throw new OnshiError('MSG_FIELD_INVALID', { field: 'lineType', detail: lineTypes.join(', ') });
  }
  let customerId: string | null = null;
  const given = typeof body.customerId === 'string' ? body.customerId.trim().toUpperCase() : '';
  if (lineType === 'ip-vpn') {
    if (given === '') throw new OnshiError('PORTAL_CUSTOMER_ID_REQUIRED');
    customerId = assertCustomerId(given);
  } else if (given !== '') customerId = assertCustomerId(given);
  return { plannedTest, plannedStart, lineType, customerId };
}

export const environments = ['connection-test', 'production'] as const;
export type Environment = (typeof environments)[number];
export const deliveries = ['pkcs12', 'csr'] as const;

/** Certificate (電子証明書発行申請): department, phone, terminal name; CSR or PKCS#12; environment. */
export function parseCertificateForm(body: Record<string, unknown>) {
  const department = text(body, 'department', 100);
  const phone = text(body, 'phone', 20);
  const digits = phone.replace(/[-‐ー－()（） ]/g, '');
  if (!/^0\d{9,10}$/.test(digits)) {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: 'phone',
      detail: '0 で始まる10桁または11桁の電話番号',
    });
  }
  const terminalName = text(body, 'terminalName', 64);
  const environment = body.environment as Environment;
  if (!environments.includes(environment)) {
    throw new OnshiError('MSG_FIELD_INVALID', { field: 'environment', detail: environments.join(', ') });
  }
  const delivery = body.delivery as (typeof deliveries)[number];
  if (!deliveries.includes(delivery)) {
    throw new OnshiError('MSG_FIELD_INVALID', { field: 'delivery', detail: deliveries.join(', ') });
  }
  let csr: string | null = null;
  if (delivery === 'csr') {
    csr = typeof body.csr === 'string' ? body.csr.trim() : '';
    if (
      !/^-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\s\S]+-----END (NEW )?CERTIFICATE REQUEST-----$/.test(csr)
    ) {
      throw new OnshiError('PKI_CSR_INVALID', {
        detail: 'PEM（-----BEGIN CERTIFICATE REQUEST-----）ではありません',
      });
    }
  }
  const renewalOf = typeof body.renewalOf === 'string' && body.renewalOf !== '' ? body.renewalOf : null;
  return { department, phone, terminalName, environment, delivery, csr, renewalOf };
}

export const costCategories = ['terminal-pc', 'network', 'system-changes'] as const;
export const subsidyDocuments = {
  receipt: '領収書（写）',
  receiptBreakdown: '領収書内訳書（写）',
  completionReport: 'オンライン資格確認等事業完了報告書',
} as const;

/** Subsidy cost items by category (whole yen, tax included) and the completion date. */
export function parseSubsidyForm(body: Record<string, unknown>) {
  const rawItems = Array.isArray(body.items) ? body.items : [];
  if (rawItems.length === 0) throw new OnshiError('MSG_FIELD_REQUIRED', { field: 'items' });
  if (rawItems.length > 50) throw new OnshiError('MSG_FIELD_INVALID', { field: 'items', detail: '50件まで' });
  const items = rawItems.map((raw, index) => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const category = item.category as (typeof costCategories)[number];
    if (!costCategories.includes(category)) {
      throw new OnshiError('MSG_FIELD_INVALID', {
        field: `items[${index}].category`,
        detail: costCategories.join(', '),
      });
    }
    const amountYen = Number(item.amountYen);
    if (!Number.isSafeInteger(amountYen) || amountYen < 1) {
      throw new OnshiError('MSG_FIELD_INVALID', {
        field: `items[${index}].amountYen`,
        detail: '1 以上の整数（円）',
      });
    }
    return { category, description: text(item, 'description', 200), amountYen };
  });
  const completedOn = date(body, 'completedOn');
  const programme = typeof body.programme === 'string' && body.programme !== '' ? body.programme : undefined;
  return { items, completedOn, programme, costYen: items.reduce((sum, item) => sum + item.amountYen, 0) };
}
