/**
 * Writes claims files in the layout the parser reads (claims.layout.ts): records as field arrays,
 * then CP932 bytes with CR LF line ends. Used by the synthetic generator and by tests, so that the
 * files they make go through the same parser as any other.
 */
import { encodeCp932, toWireDate } from '@onshi/core';
import {
  type ClaimKind,
  CZ,
  firstDayField,
  GO,
  HO,
  IR,
  IY_PHARMACY,
  layouts,
  MEDICAL_ITEM,
  RE,
  RE_PHARMACY,
  SH,
  SN,
} from './claims.layout.ts';

export interface DrugLine {
  readonly drugCode: string;
  /** 使用量 as written ('3', '1.5'). */
  readonly quantity: string;
}

/** 医科: one 算定単位 of drugs (IY records), given on the listed days. */
export interface MedicalUnit {
  /** 診療識別: '21' 内服, '22' 屯服, '23' 外用 … */
  readonly treatment: string;
  readonly drugs: readonly DrugLine[];
  /** Day of the month → 回数 (日数 for 内服). */
  readonly days: ReadonlyMap<number, number>;
}

/** 調剤: one SH with its dispensing days (CZ) and drugs (IY). */
export interface Prescription {
  /** 剤形コード: '1' 内服, '3' 屯服, '5' 外用 … */
  readonly form: string;
  readonly usageCode: string;
  readonly usage: string;
  readonly dispensings: readonly { prescribed: string; dispensed: string; quantity: number }[];
  readonly drugs: readonly DrugLine[];
}

export interface ReceiptSpec {
  /** 'YYYY-MM' */
  readonly month: string;
  readonly name: string;
  readonly sex: string;
  readonly birthdate: string;
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  readonly branchNumber?: string;
  /** 調剤: the prescribing institution, 10 digits. */
  readonly prescriberInstitutionCode?: string;
  readonly units?: readonly MedicalUnit[];
  readonly prescriptions?: readonly Prescription[];
}

export interface ClaimFileSpec {
  readonly kind: ClaimKind;
  readonly institutionCode: string;
  readonly institutionName: string;
  /** 'YYYY-MM' */
  readonly billingMonth: string;
  readonly receipts: readonly ReceiptSpec[];
}

function blank(kind: ClaimKind, type: string): string[] {
  const fields = new Array<string>(layouts[kind][type]!).fill('');
  fields[0] = type;
  return fields;
}

function yyyymm(month: string): string {
  return month.replace('-', '');
}

/** The records of a claims file, as field arrays (tests may alter them before encoding). */
export function claimRecords(spec: ClaimFileSpec): string[][] {
  const head = blank(spec.kind, spec.kind === 'medical' ? 'IR' : 'YK');
  head[1] = '1';
  head[IR.prefecture] = spec.institutionCode.slice(0, 2);
  head[IR.table] = spec.institutionCode.slice(2, 3);
  head[IR.code] = spec.institutionCode.slice(3);
  head[6] = spec.institutionName;
  head[IR.billingMonth] = yyyymm(spec.billingMonth);
  head[8] = '00';
  const records = [head];
  spec.receipts.forEach((receipt, index) => {
    records.push(...receiptRecords(spec.kind, receipt, index + 1));
  });
  const go = blank(spec.kind, 'GO');
  go[GO.receipts] = String(spec.receipts.length);
  go[2] = '0';
  go[3] = '99';
  records.push(go);
  return records;
}

function receiptRecords(kind: ClaimKind, r: ReceiptSpec, number: number): string[][] {
  const re = blank(kind, 'RE');
  re[RE.receiptNumber] = String(number);
  re[RE.receiptType] = '1112';
  re[RE.month] = yyyymm(r.month);
  re[RE.name] = r.name;
  re[RE.sex] = r.sex;
  re[RE.birthdate] = toWireDate(r.birthdate);
  if (kind === 'pharmacy' && r.prescriberInstitutionCode !== undefined) {
    re[RE_PHARMACY.prescriberPrefecture] = r.prescriberInstitutionCode.slice(0, 2);
    re[RE_PHARMACY.prescriberTable] = r.prescriberInstitutionCode.slice(2, 3);
    re[RE_PHARMACY.prescriberCode] = r.prescriberInstitutionCode.slice(3);
  }
  const ho = blank(kind, 'HO');
  ho[HO.insurerNumber] = r.insurerNumber;
  ho[HO.cardSymbol] = r.cardSymbol;
  ho[HO.cardNumber] = r.cardNumber;
  const records = [re, ho];
  if (r.branchNumber !== undefined && r.branchNumber !== '') {
    const sn = blank(kind, 'SN');
    sn[1] = '1';
    sn[SN.insurerNumber] = r.insurerNumber;
    sn[SN.cardSymbol] = r.cardSymbol;
    sn[SN.cardNumber] = r.cardNumber;
    sn[SN.branchNumber] = r.branchNumber;
    records.push(sn);
  }
  for (const unit of r.units ?? []) records.push(...unitRecords(unit));
  for (const p of r.prescriptions ?? []) records.push(...prescriptionRecords(p));
  return records;
}

function unitRecords(unit: MedicalUnit): string[][] {
  return unit.drugs.map((drug, index) => {
    const iy = blank('medical', 'IY');
    if (index === 0) iy[MEDICAL_ITEM.treatment] = unit.treatment;
    iy[2] = '1';
    iy[MEDICAL_ITEM.code] = drug.drugCode;
    iy[MEDICAL_ITEM.quantity] = drug.quantity;
    if (index === unit.drugs.length - 1) {
      const times = [...unit.days.values()].reduce((a, b) => a + b, 0);
      iy[MEDICAL_ITEM.points] = '1';
      iy[MEDICAL_ITEM.times] = String(times);
      for (const [day, count] of unit.days) iy[firstDayField.IY! + day - 1] = String(count);
    }
    return iy;
  });
}

function prescriptionRecords(p: Prescription): string[][] {
  const sh = blank('pharmacy', 'SH');
  sh[SH.number] = '1';
  sh[SH.form] = p.form;
  sh[SH.usageCode] = p.usageCode;
  sh[SH.usageText] = p.usage;
  const records = [sh];
  for (const d of p.dispensings) {
    const cz = blank('pharmacy', 'CZ');
    cz[CZ.prescribedDate] = toWireDate(d.prescribed);
    cz[CZ.dispensedDate] = toWireDate(d.dispensed);
    cz[CZ.reception] = '1';
    cz[CZ.quantity] = String(d.quantity);
    records.push(cz);
  }
  for (const drug of p.drugs) {
    const iy = blank('pharmacy', 'IY');
    iy[1] = '1';
    iy[IY_PHARMACY.drugCode] = drug.drugCode;
    iy[IY_PHARMACY.quantity] = drug.quantity;
    records.push(iy);
  }
  return records;
}

/** CP932 bytes of the records, one per line, CR LF after each. */
export function encodeClaimRecords(records: readonly (readonly string[])[]): Uint8Array {
  return encodeCp932(records.map((fields) => `${fields.join(',')}\r\n`).join(''));
}

export function encodeClaimFile(spec: ClaimFileSpec): Uint8Array {
  return encodeClaimRecords(claimRecords(spec));
}
