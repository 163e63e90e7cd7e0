/**
 * The synthetic medical feeds: the plans of medical.plan.ts written as real files — claims files
 * (CP932 レセ電 CSV, one per institution and billing month: 医科 for drugs given by clinics, 調剤 for
 * pharmacies) and one 特定健診 XML per examination. Deterministic by seed; all data is synthetic.
 */
import { institutionCodeCheckDigit, type LocalDate } from '@onshi/core';
import { hash32, Random } from '../seed/prng.ts';
import { checkupItems, type ItemKey } from './checkups.items.ts';
import { type CheckupResultSpec, encodeCheckup } from './checkups.write.ts';
import { type ClaimFileSpec, encodeClaimFile, type Prescription, type ReceiptSpec } from './claims.write.ts';
import type { SyntheticDrug } from './drugs.ts';
import { type CheckupEvent, type MedicalPerson, type MedicationEvent, planFor } from './medical.plan.ts';

export interface GeneratedFile {
  readonly type: 'claims' | 'checkup';
  /** Also the file id it is imported under. */
  readonly name: string;
  readonly content: Uint8Array;
}

interface Institution {
  readonly code: string;
  readonly name: string;
}

function institution(prefecture: string, table: '1' | '4', n: number): Institution {
  const body = `${prefecture}${table}9${String(n).padStart(5, '0')}`;
  const code = body + institutionCodeCheckDigit(body);
  return { code, name: table === '1' ? `オンシ第${n}クリニック` : `オンシ${n}薬局` };
}

/** The person's home clinic and pharmacy: 5 clinics and 4 pharmacies per prefecture. */
function homeOf(person: MedicalPerson): { clinic: Institution; pharmacy: Institution } {
  const h = hash32(`home:${person.personId}`);
  return {
    clinic: institution(person.prefectureCode, '1', 1 + (h % 5)),
    pharmacy: institution(person.prefectureCode, '4', 1 + ((h >>> 8) % 4)),
  };
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function quantity(drug: SyntheticDrug): string {
  if (drug.form !== '外用') return drug.dailyQuantity;
  return drug.unit === '枚' ? '14' : drug.unit === 'g' ? '25' : '5';
}

interface FileDraft {
  readonly spec: Omit<ClaimFileSpec, 'receipts'>;
  readonly receipts: Map<
    string,
    ReceiptSpec & { units: NonNullable<ReceiptSpec['units']>[number][]; prescriptions: Prescription[] }
  >;
}

function receiptFor(draft: FileDraft, person: MedicalPerson, e: MedicationEvent, prescriber?: string) {
  const month = e.date.slice(0, 7);
  const key = `${person.personId}|${e.card.insurerNumber}|${e.card.cardNumber}|${month}|${prescriber ?? ''}`;
  let receipt = draft.receipts.get(key);
  if (receipt === undefined) {
    receipt = {
      month,
      name: person.name,
      sex: person.sex,
      birthdate: person.birthdate,
      insurerNumber: e.card.insurerNumber,
      cardSymbol: e.card.cardSymbol,
      cardNumber: e.card.cardNumber,
      ...(e.card.branchNumber === '' ? {} : { branchNumber: e.card.branchNumber }),
      ...(prescriber === undefined ? {} : { prescriberInstitutionCode: prescriber }),
      units: [],
      prescriptions: [],
    };
    draft.receipts.set(key, receipt);
  }
  return receipt;
}

function addEvent(drafts: Map<string, FileDraft>, person: MedicalPerson, e: MedicationEvent): void {
  const { clinic, pharmacy } = homeOf(person);
  const at = e.dispensedOutside ? pharmacy : clinic;
  const kind = e.dispensedOutside ? 'pharmacy' : 'medical';
  const month = e.date.slice(0, 7);
  const key = `${kind}|${at.code}|${month}`;
  let draft = drafts.get(key);
  if (draft === undefined) {
    draft = {
      spec: { kind, institutionCode: at.code, institutionName: at.name, billingMonth: nextMonth(month) },
      receipts: new Map(),
    };
    drafts.set(key, draft);
  }
  const receipt = receiptFor(draft, person, e, e.dispensedOutside ? clinic.code : undefined);
  const drugs = e.drugs.map((d) => ({ drugCode: d.drugCode, quantity: quantity(d) }));
  if (!e.dispensedOutside) {
    receipt.units.push({ treatment: e.treatment, drugs, days: new Map([[Number(e.date.slice(8)), e.days]]) });
    return;
  }
  for (const drug of e.drugs) {
    receipt.prescriptions.push({
      form: drug.form === '外用' ? '5' : '1',
      usageCode: '',
      usage: drug.usage,
      dispensings: [{ prescribed: e.date, dispensed: e.date, quantity: e.days }],
      drugs: [{ drugCode: drug.drugCode, quantity: quantity(drug) }],
    });
  }
}

/** Box–Muller: a normal draw. */
function normal(random: Random, mean: number, sd: number): number {
  const u = 1 - random.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

function measured(person: MedicalPerson, event: CheckupEvent, random: Random): Record<ItemKey, number> {
  const male = person.sex === '1';
  const age = Number(event.date.slice(0, 4)) - Number(person.birthdate.slice(0, 4));
  const has = (c: Parameters<typeof event.conditions.has>[0]) => (event.conditions.has(c) ? 1 : 0);
  const height = normal(random, male ? 172 - (age - 40) * 0.15 : 158 - (age - 40) * 0.12, male ? 6 : 5.5);
  const bmi = normal(random, 22 + 1.5 * (has('diabetes') + has('lipid') + has('hypertension')), 2.8);
  const systolic = normal(random, 112 + (age - 40) * 0.5 + 14 * has('hypertension'), 10);
  return {
    height,
    weight: bmi * (height / 100) ** 2,
    bmi,
    waist: normal(random, (male ? 82 : 79) + (bmi - 22) * 2.5, 4),
    systolic,
    diastolic: normal(random, systolic * 0.6 + 4, 6),
    triglycerides: Math.max(30, normal(random, 100 + 50 * has('lipid'), 40)),
    hdl: Math.max(25, normal(random, male ? 55 : 66, 12)),
    ldl: Math.max(50, normal(random, 112 + 22 * has('lipid'), 25)),
    ast: Math.max(10, normal(random, 22, 6)),
    alt: Math.max(6, normal(random, male ? 24 : 17, 9)),
    ggt: Math.max(8, normal(random, male ? 36 : 20, 15)),
    fastingGlucose: Math.max(70, normal(random, 92 + 35 * has('diabetes'), 8)),
    hba1c: Math.max(4.3, normal(random, 5.4 + 1.3 * has('diabetes'), 0.3)),
    urineSugar: has('diabetes') && random.chance(0.25) ? 3 : 1,
    urineProtein: random.chance(0.05) ? 2 : 1,
  };
}

const oneDecimal = new Set<ItemKey>(['height', 'weight', 'bmi', 'waist', 'hba1c']);

function checkupResults(person: MedicalPerson, event: CheckupEvent, seed: number): CheckupResultSpec[] {
  const random = new Random(hash32(`checkup:${seed}:${person.personId}:${event.date}`));
  const values = measured(person, event, random);
  return checkupItems.map((item) => {
    const value = values[item.key];
    if (item.valueType === 'CO') {
      const code = String(value);
      return {
        code: item.codes[0]!,
        name: item.name,
        type: 'CO' as const,
        value: code,
        display: code === '1' ? '－' : code === '2' ? '±' : '＋',
      };
    }
    const text = oneDecimal.has(item.key) ? value.toFixed(1) : String(Math.round(value));
    const high = person.sex === '2' && item.highFemale !== undefined ? item.highFemale : item.high;
    const n = Number(text);
    const interpretation =
      high !== undefined && n > Number(high)
        ? 'H'
        : item.low !== undefined && n < Number(item.low)
          ? 'L'
          : 'N';
    return {
      code: item.codes[0]!,
      name: item.name,
      type: 'PQ' as const,
      value: text,
      ...(item.unit === undefined ? {} : { unit: item.unit }),
      ...(item.low === undefined ? {} : { low: item.low }),
      ...(high === undefined ? {} : { high }),
      ...(item.low === undefined && high === undefined ? {} : { interpretation }),
    };
  });
}

function checkupFile(person: MedicalPerson, event: CheckupEvent, seed: number): GeneratedFile {
  const { clinic } = homeOf(person);
  const name = `checkup-${clinic.code}-${person.personId}-${event.date.replaceAll('-', '')}.xml`;
  const content = encodeCheckup({
    documentId: name,
    insurerNumber: event.card.insurerNumber,
    cardSymbol: event.card.cardSymbol,
    cardNumber: event.card.cardNumber,
    ...(event.card.branchNumber === '' ? {} : { branchNumber: event.card.branchNumber }),
    nameKana: person.nameKana,
    sex: person.sex,
    birthdate: person.birthdate,
    examDate: event.date,
    institutionCode: clinic.code,
    institutionName: clinic.name,
    results: checkupResults(person, event, seed),
  });
  return { type: 'checkup', name, content };
}

/** Claims files (sorted by name), then check-up files (sorted by name), for these persons. */
export function generateMedicalFiles(
  persons: readonly MedicalPerson[],
  options: { readonly seed: number; readonly asOf: LocalDate },
): GeneratedFile[] {
  const drafts = new Map<string, FileDraft>();
  const checkups: GeneratedFile[] = [];
  for (const person of persons) {
    const plan = planFor(person, options.seed, options.asOf);
    for (const e of plan.medications) addEvent(drafts, person, e);
    for (const c of plan.checkups) checkups.push(checkupFile(person, c, options.seed));
  }
  const claims = [...drafts.values()].map((d): GeneratedFile => {
    const name = `claims-${d.spec.kind}-${d.spec.institutionCode}-${d.spec.billingMonth.replace('-', '')}.uke`;
    return {
      type: 'claims',
      name,
      content: encodeClaimFile({ ...d.spec, receipts: [...d.receipts.values()] }),
    };
  });
  const byName = (a: GeneratedFile, b: GeneratedFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...claims.sort(byName), ...checkups.sort(byName)];
}
