/**
 * The claims parser: a レセプト電算処理システム CSV file (bytes) → receipts with the drugs they
 * carry, or every problem found with its line. Pure: persons and drugs are resolved by the import
 * (claims.import.ts), against the store. What is read and what is skipped: README.md.
 *
 * Order rules: line 1 is IR (医科) or YK (調剤) and decides the file kind; each receipt starts with
 * RE, followed by its HO (exactly one), KO and SN records, then its body; GO closes the file, once.
 * 医科: IY, SI and TO form 算定単位 closed by the record carrying 回数; the 算定日 counts of that
 * record must add up to its 回数. 調剤: SH opens a 剤, its CZ records (dispensing days) come before
 * its IY records (drugs); every IY is dispensed on every CZ day of its SH.
 */
import { type ErrorCode, type ErrorParams, type LocalDate, validateInsurerNumber } from '@onshi/core';
import {
  dayCounts,
  dayOf,
  decimalQuantity,
  drugCode,
  institutionCode,
  positiveCount,
  wireDate,
  yearMonth,
} from './claims.fields.ts';
import {
  type ClaimKind,
  CZ,
  firstDayField,
  GO,
  HO,
  IR,
  IY_PHARMACY,
  kindNames,
  layouts,
  MEDICAL_ITEM,
  RE,
  RE_PHARMACY,
  SH,
  SN,
  skipped,
} from './claims.layout.ts';
import { type ClaimLine, type ClaimProblem, claimLines } from './claims.lines.ts';

export type { ClaimProblem } from './claims.lines.ts';

export interface ParsedMedication {
  /** Line of the IY record. */
  readonly line: number;
  readonly serviceDate: LocalDate;
  readonly prescribedDate?: LocalDate;
  readonly drugCode: string;
  readonly quantity: string;
  readonly daysOrTimes: number;
  /** 診療識別 (医科) or 剤形コード (調剤). */
  readonly treatmentCategory: string;
  readonly usage?: string;
}

export interface ParsedReceipt {
  /** Line of the RE record. */
  readonly line: number;
  /** 診療年月 / 調剤年月, 'YYYY-MM'. */
  readonly month: string;
  readonly birthdate: LocalDate;
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  /** 枝番 from SN, when recorded. */
  readonly branchNumber?: string;
  /** Line of the HO record (where an unknown person is reported). */
  readonly insurerLine: number;
  /** 調剤: the institution that wrote the prescription. */
  readonly prescriberInstitutionCode?: string;
  readonly medications: readonly ParsedMedication[];
}

export interface ParsedClaimFile {
  readonly kind: ClaimKind;
  /** The claiming institution (医療機関 or 薬局), 10 digits. */
  readonly institutionCode: string;
  /** 請求年月, 'YYYY-MM'. */
  readonly billingMonth: string;
  readonly receipts: readonly ParsedReceipt[];
}

export interface ClaimParse {
  /** Present only when no problem was found. */
  readonly file?: ParsedClaimFile;
  readonly problems: readonly ClaimProblem[];
}

/** At most this many problems are reported per file. */
export const MAX_PROBLEMS = 100;

interface Insurer {
  readonly line: number;
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
}

interface OpenReceipt {
  readonly line: number;
  readonly month: string;
  readonly birthdate: LocalDate;
  readonly prescriber?: string;
  insurer?: Insurer;
  branchNumber?: string;
  /** The body (摘要: IY, SI, SH …) has started: HO, KO and SN may no longer come. */
  body: boolean;
  readonly medications: ParsedMedication[];
}

interface PendingDrug {
  readonly line: number;
  readonly drugCode: string;
  readonly quantity: string;
  readonly treatment: string;
}

interface Dispensing {
  readonly prescribed: LocalDate;
  readonly dispensed: LocalDate;
  readonly quantity: number;
}

interface OpenPrescription {
  readonly form: string;
  readonly usage: string;
  readonly days: Dispensing[];
  drugs: number;
}

/** Parses a whole claims file; see the module comment. */
export function parseClaimFile(content: Uint8Array): ClaimParse {
  const { lines, problems } = claimLines(content);
  if (problems.length > 0) return { problems: problems.slice(0, MAX_PROBLEMS) };
  const parser = new ClaimParser();
  parser.parse(lines);
  return parser.result();
}

class ClaimParser {
  readonly problems: ClaimProblem[] = [];
  private kind: ClaimKind = 'medical';
  private institutionCode = '';
  private billingMonth = '';
  private readonly receipts: ParsedReceipt[] = [];
  /** The receipt being read; 'broken' when its RE was refused (its records are then skipped). */
  private receipt: OpenReceipt | 'broken' | undefined;
  private receiptCount = 0;
  private closedAt: number | undefined;
  private lastLine = 0;
  // 医科
  private treatment: string | undefined;
  private pending: PendingDrug[] = [];
  // 調剤
  private prescription: OpenPrescription | undefined;

  parse(lines: readonly ClaimLine[]): undefined {
    const [first, ...rest] = lines;
    if (first === undefined) {
      this.problem(1, 'CLAIM_ORDER_INVALID', { detail: 'ファイルが空です' });
      return;
    }
    if (!this.header(first)) return;
    for (const line of rest) {
      if (this.problems.length >= MAX_PROBLEMS) return;
      this.lastLine = line.line;
      this.record(line);
    }
    if (this.closedAt === undefined) {
      this.problem(this.lastLine + 1, 'CLAIM_ORDER_INVALID', { detail: '合計レコード（GO）がありません' });
    }
  }

  result(): ClaimParse {
    const problems = this.problems.slice(0, MAX_PROBLEMS);
    if (problems.length > 0) return { problems };
    const { kind, institutionCode, billingMonth, receipts } = this;
    return { file: { kind, institutionCode, billingMonth, receipts }, problems };
  }

  private problem(line: number, code: ErrorCode, params: ErrorParams): undefined {
    this.problems.push({ line, code, params: { line, ...params } });
  }

  private invalid(l: ClaimLine, field: string, index: number, detail: string): undefined {
    const value = l.fields[index] ?? '';
    this.problem(l.line, 'CLAIM_FIELD_INVALID', { record: l.fields[0] ?? '', field, value, detail });
  }

  private order(l: ClaimLine, detail: string): undefined {
    this.problem(l.line, 'CLAIM_ORDER_INVALID', { detail });
  }

  /** Line 1: IR or YK; sets the kind, the institution and the billing month. */
  private header(l: ClaimLine): boolean {
    const type = l.fields[0];
    this.lastLine = l.line;
    if (type !== 'IR' && type !== 'YK') {
      this.order(l, '1行目は医療機関情報（IR）または薬局情報（YK）である必要があります');
      return false;
    }
    this.kind = type === 'IR' ? 'medical' : 'pharmacy';
    if (!this.fieldCount(l)) return false;
    const f = l.fields;
    const table = type === 'IR' ? '1' : '4';
    if (f[IR.table] !== table) {
      this.invalid(l, '点数表', IR.table, `${type} の点数表は ${table} である必要があります（歯科は未対応）`);
    }
    const code = institutionCode(f[IR.prefecture]!, table, f[IR.code]!);
    if (code === undefined)
      this.invalid(l, '医療機関コード', IR.code, '都道府県・点数表と合わせて正しい10桁になりません');
    const month = yearMonth(f[IR.billingMonth]!);
    if (month === undefined) this.invalid(l, '請求年月', IR.billingMonth, 'YYYYMM である必要があります');
    this.institutionCode = code ?? '';
    this.billingMonth = month ?? '';
    return this.problems.length === 0;
  }

  /** Checks the record's field count against its layout; false (and a problem) when it differs. */
  private fieldCount(l: ClaimLine): boolean {
    const type = l.fields[0]!;
    const expected = layouts[this.kind][type];
    if (expected === undefined || expected === l.fields.length) return true;
    this.problem(l.line, 'CLAIM_FIELD_COUNT', { record: type, expected, actual: l.fields.length });
    return false;
  }

  private record(l: ClaimLine): undefined {
    const type = l.fields[0] ?? '';
    const known = layouts[this.kind][type] !== undefined || skipped[this.kind].has(type);
    if (!known) {
      this.problem(l.line, 'CLAIM_RECORD_UNKNOWN', { record: type, kind: kindNames[this.kind] });
      return;
    }
    if (this.closedAt !== undefined)
      return this.order(l, `合計レコード（GO, ${this.closedAt} 行目）の後にレコードがあります`);
    if (type === 'IR' || type === 'YK') return this.order(l, `${type} はファイルの1行目にだけ記録します`);
    if (!this.fieldCount(l)) {
      if (type === 'RE') this.startReceipt(undefined);
      return;
    }
    if (type === 'RE') return this.readReceipt(l);
    if (type === 'GO') return this.close(l);
    if (this.receipt === undefined)
      return this.order(l, `${type} がレセプト共通レコード（RE）より前にあります`);
    if (this.receipt === 'broken') return;
    this.receiptRecord(l, type, this.receipt);
  }

  private receiptRecord(l: ClaimLine, type: string, receipt: OpenReceipt): undefined {
    if (type === 'HO' || type === 'KO' || type === 'SN') return this.coverage(l, type, receipt);
    if (receipt.insurer === undefined) return this.order(l, `${type} の前に保険者レコード（HO）がありません`);
    receipt.body = true;
    if (this.kind === 'medical' && (type === 'IY' || type === 'SI' || type === 'TO')) {
      return this.medicalItem(l, type, receipt);
    }
    if (type === 'SH') return this.openPrescription(l);
    if (type === 'CZ') return this.dispensing(l, receipt);
    if (type === 'IY') return this.pharmacyDrug(l, receipt);
  }

  // ------------------------------------------------------------- receipts

  private startReceipt(receipt: OpenReceipt | undefined): undefined {
    this.finishReceipt();
    this.receiptCount += 1;
    this.receipt = receipt ?? 'broken';
    this.treatment = undefined;
    this.pending = [];
    this.prescription = undefined;
  }

  private readReceipt(l: ClaimLine): undefined {
    const f = l.fields;
    const before = this.problems.length;
    const month = yearMonth(f[RE.month]!);
    if (month === undefined) this.invalid(l, '診療年月', RE.month, 'YYYYMM である必要があります');
    const birthdate = wireDate(f[RE.birthdate]!);
    if (birthdate === undefined)
      this.invalid(l, '生年月日', RE.birthdate, 'YYYYMMDD の実在する日付である必要があります');
    let prescriber: string | undefined;
    if (this.kind === 'pharmacy') {
      const table = f[RE_PHARMACY.prescriberTable]!;
      prescriber = institutionCode(
        f[RE_PHARMACY.prescriberPrefecture]!,
        table,
        f[RE_PHARMACY.prescriberCode]!,
      );
      if (prescriber === undefined || (table !== '1' && table !== '3')) {
        this.invalid(
          l,
          '処方医療機関コード',
          RE_PHARMACY.prescriberCode,
          '都道府県・点数表（1 または 3）と合わせて正しい10桁になりません',
        );
      }
    }
    if (this.problems.length > before) return this.startReceipt(undefined);
    this.startReceipt({
      line: l.line,
      month: month!,
      birthdate: birthdate!,
      ...(prescriber === undefined ? {} : { prescriber }),
      body: false,
      medications: [],
    });
  }

  /** HO, KO, SN: right after RE, HO exactly once and first. */
  private coverage(l: ClaimLine, type: string, receipt: OpenReceipt): undefined {
    if (receipt.body) return this.order(l, `${type} はレセプト共通レコード（RE）の直後に記録します`);
    if (type === 'HO') return this.readInsurer(l, receipt);
    if (receipt.insurer === undefined) return this.order(l, `${type} の前に保険者レコード（HO）がありません`);
    if (type === 'SN') this.readBranch(l, receipt);
  }

  private readInsurer(l: ClaimLine, receipt: OpenReceipt): undefined {
    if (receipt.insurer !== undefined)
      return this.order(l, `保険者レコード（HO）が2つあります（${receipt.insurer.line} 行目）`);
    const f = l.fields;
    const checked = validateInsurerNumber(f[HO.insurerNumber]!.trim());
    if (!checked.ok) return this.invalid(l, '保険者番号', HO.insurerNumber, checked.reason);
    const cardNumber = f[HO.cardNumber]!;
    if (cardNumber === '') return this.invalid(l, '被保険者証等の番号', HO.cardNumber, '記録が必要です');
    receipt.insurer = {
      line: l.line,
      insurerNumber: checked.insurerNumber,
      cardSymbol: f[HO.cardSymbol]!,
      cardNumber,
    };
  }

  private readBranch(l: ClaimLine, receipt: OpenReceipt): undefined {
    const f = l.fields;
    if (f[SN.insurerNumber]!.trim() !== receipt.insurer?.insurerNumber) return;
    const branch = f[SN.branchNumber]!;
    if (branch !== '' && !/^\d{2}$/.test(branch))
      return this.invalid(l, '枝番', SN.branchNumber, '2桁の数字である必要があります');
    if (branch !== '') receipt.branchNumber = branch;
  }

  private finishReceipt(): undefined {
    const receipt = this.receipt;
    if (receipt === undefined || receipt === 'broken') return;
    const open = this.pending[0];
    if (open !== undefined) {
      this.problem(open.line, 'CLAIM_ORDER_INVALID', {
        detail: '算定単位の最後のレコード（回数）がありません',
      });
    }
    const insurer = receipt.insurer;
    if (insurer === undefined) {
      this.problem(receipt.line, 'CLAIM_ORDER_INVALID', {
        detail: '保険者レコード（HO）がありません（公費単独は未対応）',
      });
      return;
    }
    this.receipts.push({
      line: receipt.line,
      month: receipt.month,
      birthdate: receipt.birthdate,
      insurerNumber: insurer.insurerNumber,
      cardSymbol: insurer.cardSymbol,
      cardNumber: insurer.cardNumber,
      ...(receipt.branchNumber === undefined ? {} : { branchNumber: receipt.branchNumber }),
      insurerLine: insurer.line,
      ...(receipt.prescriber === undefined ? {} : { prescriberInstitutionCode: receipt.prescriber }),
      medications: receipt.medications,
    });
  }

  private close(l: ClaimLine): undefined {
    this.finishReceipt();
    this.receipt = undefined;
    this.closedAt = l.line;
    const total = l.fields[GO.receipts]!;
    if (total !== String(this.receiptCount)) {
      this.invalid(
        l,
        '総件数',
        GO.receipts,
        `レセプト共通レコード（RE）の数 ${this.receiptCount} と一致しません`,
      );
    }
  }

  // ------------------------------------------------------------- 医科

  private medicalItem(l: ClaimLine, type: string, receipt: OpenReceipt): undefined {
    const f = l.fields;
    const given = f[MEDICAL_ITEM.treatment]!;
    if (given !== '' && !/^\d{2}$/.test(given))
      return this.invalid(l, '診療識別', MEDICAL_ITEM.treatment, '2桁の数字である必要があります');
    const treatment = given === '' ? this.treatment : given;
    if (treatment === undefined)
      return this.invalid(
        l,
        '診療識別',
        MEDICAL_ITEM.treatment,
        'レセプトの最初の摘要レコードには記録が必要です',
      );
    this.treatment = treatment;
    if (type === 'IY') {
      const code = drugCode(f[MEDICAL_ITEM.code]!);
      if (code === undefined)
        return this.invalid(l, '医薬品コード', MEDICAL_ITEM.code, '9桁の数字である必要があります');
      const quantity = decimalQuantity(f[MEDICAL_ITEM.quantity]!);
      if (quantity === undefined)
        return this.invalid(l, '使用量', MEDICAL_ITEM.quantity, '正の数である必要があります');
      this.pending.push({ line: l.line, drugCode: code, quantity, treatment });
    }
    if (f[MEDICAL_ITEM.times] !== '') this.closeUnit(l, type, receipt);
  }

  /** The record carrying 回数 ends the 算定単位: each pending drug on each day it was given. */
  private closeUnit(l: ClaimLine, type: string, receipt: OpenReceipt): undefined {
    const pending = this.pending;
    this.pending = [];
    const times = positiveCount(l.fields[MEDICAL_ITEM.times]!);
    if (times === undefined)
      return this.invalid(l, '回数', MEDICAL_ITEM.times, '正の整数である必要があります');
    const first = firstDayField[type]!;
    const days = dayCounts(l.fields, first);
    if (typeof days === 'number')
      return this.invalid(l, `算定日（${days}日）`, first + days - 1, '回数である必要があります');
    const sum = [...days.values()].reduce((a, b) => a + b, 0);
    if (sum !== times)
      return this.invalid(l, '算定日', first, `日ごとの回数の合計 ${sum} が回数 ${times} と一致しません`);
    for (const [day, count] of days) {
      const date = dayOf(receipt.month, day);
      if (date === undefined)
        return this.invalid(l, `算定日（${day}日）`, first + day - 1, `${receipt.month} にない日です`);
      for (const drug of pending) {
        receipt.medications.push({
          line: drug.line,
          serviceDate: date,
          drugCode: drug.drugCode,
          quantity: drug.quantity,
          daysOrTimes: count,
          treatmentCategory: drug.treatment,
        });
      }
    }
  }

  // ------------------------------------------------------------- 調剤

  private openPrescription(l: ClaimLine): undefined {
    const f = l.fields;
    const form = f[SH.form]!;
    if (!/^[1-79]$/.test(form))
      return this.invalid(l, '剤形コード', SH.form, '1〜7 または 9 である必要があります');
    const usage = f[SH.usageText] || f[SH.usageCode]!;
    this.prescription = { form, usage, days: [], drugs: 0 };
  }

  private dispensing(l: ClaimLine, receipt: OpenReceipt): undefined {
    const prescription = this.prescription;
    if (prescription === undefined) return this.order(l, 'CZ の前に処方基本レコード（SH）がありません');
    if (prescription.drugs > 0)
      return this.order(l, 'CZ は同じ処方基本レコード（SH）の医薬品レコード（IY）より前に記録します');
    const f = l.fields;
    const prescribed = wireDate(f[CZ.prescribedDate]!);
    if (prescribed === undefined)
      return this.invalid(l, '処方月日', CZ.prescribedDate, 'YYYYMMDD の実在する日付である必要があります');
    const dispensed = wireDate(f[CZ.dispensedDate]!);
    if (dispensed === undefined || !dispensed.startsWith(receipt.month)) {
      return this.invalid(
        l,
        '調剤月日',
        CZ.dispensedDate,
        `調剤年月 ${receipt.month} の実在する日付である必要があります`,
      );
    }
    if (prescribed > dispensed) return this.invalid(l, '処方月日', CZ.prescribedDate, '調剤月日より後です');
    const quantity = positiveCount(f[CZ.quantity]!);
    if (quantity === undefined)
      return this.invalid(l, '調剤数量', CZ.quantity, '正の整数である必要があります');
    prescription.days.push({ prescribed, dispensed, quantity });
  }

  private pharmacyDrug(l: ClaimLine, receipt: OpenReceipt): undefined {
    const prescription = this.prescription;
    if (prescription === undefined || prescription.days.length === 0) {
      return this.order(l, 'IY の前に処方基本レコード（SH）と調剤レコード（CZ）が必要です');
    }
    const f = l.fields;
    const code = drugCode(f[IY_PHARMACY.drugCode]!);
    if (code === undefined)
      return this.invalid(l, '医薬品コード', IY_PHARMACY.drugCode, '9桁の数字である必要があります');
    const quantity = decimalQuantity(f[IY_PHARMACY.quantity]!);
    if (quantity === undefined)
      return this.invalid(l, '使用量', IY_PHARMACY.quantity, '正の数である必要があります');
    prescription.drugs += 1;
    for (const day of prescription.days) {
      receipt.medications.push({
        line: l.line,
        serviceDate: day.dispensed,
        prescribedDate: day.prescribed,
        drugCode: code,
        quantity,
        daysOrTimes: day.quantity,
        treatmentCategory: prescription.form,
        ...(prescription.usage === '' ? {} : { usage: prescription.usage }),
      });
    }
  }
}
