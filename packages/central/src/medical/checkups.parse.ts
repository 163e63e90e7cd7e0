/**
 * The 特定健診 XML parser: one HL7 CDA R2 document of the MHLW 電子的な標準様式 (one person, one
 * examination) → the person's identifiers, the exam date, the institution and the result items, or
 * every problem found with its line. Read with the core's generic XML tree reader (DOCTYPE and
 * entity declarations refused). Paths read: README.md, "Check-up XML".
 */
import {
  attributeValue,
  childElements,
  type ErrorCode,
  type ErrorParams,
  isOnshiError,
  type LocalDate,
  parseXmlTree,
  validateInsurerNumber,
  type XmlElement,
  type XmlTree,
} from '@onshi/core';
import { CHECKUP_ITEM_SYSTEM, itemByCode, sameUnit, urineResults } from './checkups.items.ts';
import { wireDate } from './claims.fields.ts';
import type { ClaimProblem as Problem } from './claims.lines.ts';

export const HL7 = 'urn:hl7-org:v3';
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** OIDs of the identifiers in the document. */
export const OID = {
  insurerNumber: '1.2.392.200119.6.101',
  institution: '1.2.392.200119.6.102',
  cardSymbol: '1.2.392.200119.6.204',
  cardNumber: '1.2.392.200119.6.205',
  branchNumber: '1.2.392.200119.6.211',
} as const;

export interface ParsedItem {
  readonly line: number;
  readonly code: string;
  readonly name: string;
  readonly valueType: 'PQ' | 'CD' | 'CO' | 'ST';
  readonly value: string;
  readonly valueDisplay?: string;
  readonly unit?: string;
  readonly referenceLow?: string;
  readonly referenceHigh?: string;
  readonly interpretation?: string;
}

export interface ParsedCheckup {
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  readonly branchNumber?: string;
  readonly birthdate: LocalDate;
  readonly examDate: LocalDate;
  readonly institutionCode: string;
  /** Line of patientRole (where an unknown person is reported). */
  readonly personLine: number;
  readonly items: readonly ParsedItem[];
}

type ItemValue = Pick<ParsedItem, 'valueType' | 'value' | 'valueDisplay' | 'unit'>;

export interface CheckupParse {
  readonly checkup?: ParsedCheckup;
  readonly problems: readonly Problem[];
}

/** Parses one 特定健診 CDA document. */
export function parseCheckupFile(content: Uint8Array): CheckupParse {
  let tree: XmlTree;
  try {
    tree = parseXmlTree(content, { maxBytes: 4 * 1024 * 1024, maxDepth: 64 });
  } catch (error) {
    if (!isOnshiError(error)) throw error;
    const offset = Number(error.params.offset ?? 0);
    return { problems: [{ line: lineAt(content, offset), code: error.code, params: error.params }] };
  }
  const reader = new CheckupReader(tree);
  const checkup = reader.document();
  return reader.problems.length > 0 || checkup === undefined
    ? { problems: reader.problems }
    : { checkup, problems: [] };
}

/** The line of a character offset when the tree could not be built (decoded leniently). */
function lineAt(content: Uint8Array, offset: number): number {
  const text = new TextDecoder('utf-8').decode(content).replace(/\r\n?/g, '\n');
  return text.slice(0, offset).split('\n').length;
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element === undefined ? undefined : childElements(element, name, HL7)[0];
}

function path(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  return names.reduce<XmlElement | undefined>((e, name) => child(e, name), element);
}

class CheckupReader {
  readonly problems: Problem[] = [];
  private readonly tree: XmlTree;

  constructor(tree: XmlTree) {
    this.tree = tree;
  }

  private problem(at: XmlElement, code: ErrorCode, params: ErrorParams): undefined {
    const line = this.tree.lineOf(at.offset);
    this.problems.push({ line, code, params: { line, ...params } });
    return undefined;
  }

  private missing(at: XmlElement, where: string): undefined {
    return this.problem(at, 'CHECKUP_FIELD_MISSING', { path: where });
  }

  private invalid(at: XmlElement, where: string, value: string, detail: string): undefined {
    return this.problem(at, 'CHECKUP_FIELD_INVALID', { path: where, value, detail });
  }

  document(): ParsedCheckup | undefined {
    const root = this.tree.root;
    if (root.localName !== 'ClinicalDocument' || root.namespace !== HL7) {
      this.problem(root, 'CHECKUP_FIELD_INVALID', {
        path: '/',
        value: root.name,
        detail: `ルート要素は ${HL7} の ClinicalDocument である必要があります`,
      });
      return undefined;
    }
    const patientRole = path(root, 'recordTarget', 'patientRole');
    if (patientRole === undefined) return this.missing(root, 'recordTarget/patientRole');
    const person = this.person(patientRole);
    const examDate = this.examDate(root);
    const institutionCode = this.institution(root);
    const items = this.items(root);
    if (person === undefined || examDate === undefined || institutionCode === undefined) return undefined;
    return { ...person, examDate, institutionCode, personLine: this.tree.lineOf(patientRole.offset), items };
  }

  private id(patientRole: XmlElement, oid: string): string | undefined {
    const id = childElements(patientRole, 'id', HL7).find((e) => attributeValue(e, 'root') === oid);
    return id === undefined ? undefined : (attributeValue(id, 'extension') ?? '');
  }

  private person(patientRole: XmlElement) {
    const where = 'recordTarget/patientRole';
    const insurer = this.id(patientRole, OID.insurerNumber);
    const cardNumber = this.id(patientRole, OID.cardNumber);
    const branch = this.id(patientRole, OID.branchNumber);
    const birthTime = path(patientRole, 'patient', 'birthTime');
    const birth = birthTime === undefined ? undefined : (attributeValue(birthTime, 'value') ?? '');
    if (insurer === undefined) this.missing(patientRole, `${where}/id[@root='${OID.insurerNumber}']`);
    if (cardNumber === undefined || cardNumber === '')
      this.missing(patientRole, `${where}/id[@root='${OID.cardNumber}']`);
    if (birth === undefined) this.missing(patientRole, `${where}/patient/birthTime`);
    const checked = insurer === undefined ? undefined : validateInsurerNumber(insurer);
    if (checked !== undefined && !checked.ok)
      this.invalid(patientRole, `${where}/id[@root='${OID.insurerNumber}']`, insurer!, checked.reason);
    const birthdate = birth === undefined ? undefined : wireDate(birth);
    if (birth !== undefined && birthdate === undefined)
      this.invalid(
        birthTime!,
        `${where}/patient/birthTime/@value`,
        birth,
        'YYYYMMDD の実在する日付である必要があります',
      );
    if (branch !== undefined && branch !== '' && !/^\d{2}$/.test(branch))
      this.invalid(
        patientRole,
        `${where}/id[@root='${OID.branchNumber}']`,
        branch,
        '2桁の数字である必要があります',
      );
    if (checked?.ok !== true || cardNumber === undefined || cardNumber === '' || birthdate === undefined)
      return undefined;
    return {
      insurerNumber: checked.insurerNumber,
      cardSymbol: this.id(patientRole, OID.cardSymbol) ?? '',
      cardNumber,
      ...(branch === undefined || branch === '' ? {} : { branchNumber: branch }),
      birthdate,
    };
  }

  /** 実施日: documentationOf/serviceEvent/effectiveTime (@value or low/@value). */
  private examDate(root: XmlElement): LocalDate | undefined {
    const time = path(root, 'documentationOf', 'serviceEvent', 'effectiveTime');
    if (time === undefined) return this.missing(root, 'documentationOf/serviceEvent/effectiveTime');
    const value = attributeValue(time, 'value') ?? attributeValue(child(time, 'low') ?? time, 'value') ?? '';
    const date = wireDate(value.slice(0, 8));
    if (date === undefined || !/^\d{8}/.test(value))
      return this.invalid(
        time,
        'documentationOf/serviceEvent/effectiveTime',
        value,
        'YYYYMMDD の実在する日付である必要があります',
      );
    return date;
  }

  /** 健診機関番号: author/assignedAuthor/representedOrganization/id[@root=…102]/@extension. */
  private institution(root: XmlElement): string | undefined {
    const where = `author/assignedAuthor/representedOrganization/id[@root='${OID.institution}']`;
    const organization = path(root, 'author', 'assignedAuthor', 'representedOrganization');
    const id =
      organization === undefined
        ? undefined
        : childElements(organization, 'id', HL7).find((e) => attributeValue(e, 'root') === OID.institution);
    if (id === undefined) return this.missing(organization ?? root, where);
    const value = attributeValue(id, 'extension') ?? '';
    if (!/^\d{10}$/.test(value)) return this.invalid(id, where, value, '10桁の数字である必要があります');
    return value;
  }

  /** Every observation of the body coded in the 特定健診 item code system, wherever it is nested. */
  private items(root: XmlElement): ParsedItem[] {
    const body = path(root, 'component', 'structuredBody');
    if (body === undefined) {
      this.missing(root, 'component/structuredBody');
      return [];
    }
    const items: ParsedItem[] = [];
    const visit = (e: XmlElement): void => {
      if (e.localName === 'observation' && e.namespace === HL7) {
        const item = this.item(e);
        if (item !== undefined) items.push(item);
      }
      e.children.forEach(visit);
    };
    visit(body);
    return items;
  }

  private item(observation: XmlElement): ParsedItem | undefined {
    const code = child(observation, 'code');
    if (code === undefined || attributeValue(code, 'codeSystem') !== CHECKUP_ITEM_SYSTEM) return undefined;
    const itemCode = attributeValue(code, 'code') ?? '';
    if (!/^[0-9A-Z]{17}$/.test(itemCode))
      return this.invalid(code, 'observation/code/@code', itemCode, '17桁の項目コードである必要があります');
    const known = itemByCode(itemCode);
    const name = attributeValue(code, 'displayName') ?? known?.name;
    if (name === undefined) return this.missing(code, 'observation/code/@displayName');
    const value = child(observation, 'value');
    // Items not performed carry no value or a nullFlavor: nothing to store.
    if (value === undefined || attributeValue(value, 'nullFlavor') !== undefined) return undefined;
    const read = this.value(value, itemCode);
    if (read === undefined) return undefined;
    if (known?.unit !== undefined && read.valueType === 'PQ' && !sameUnit(read.unit ?? '', known.unit)) {
      return this.invalid(
        value,
        `observation[${itemCode}]/value/@unit`,
        read.unit ?? '',
        `${known.name}の単位は ${known.unit} です`,
      );
    }
    if (known?.valueType === 'CO' && (read.valueType === 'ST' || urineResults[read.value] === undefined)) {
      return this.invalid(
        value,
        `observation[${itemCode}]/value/@code`,
        read.value,
        '1〜5 の結果コードである必要があります',
      );
    }
    const interpretation = attributeValue(child(observation, 'interpretationCode') ?? observation, 'code');
    return {
      line: this.tree.lineOf(observation.offset),
      code: itemCode,
      name,
      ...read,
      ...this.range(observation),
      ...(interpretation === undefined ? {} : { interpretation }),
    };
  }

  private value(value: XmlElement, itemCode: string): ItemValue | undefined {
    const type = attributeValue(value, 'type', XSI) ?? '';
    const where = `observation[${itemCode}]/value`;
    if (type === 'PQ') {
      const number = attributeValue(value, 'value') ?? '';
      if (!/^-?\d{1,6}(\.\d{1,4})?$/.test(number))
        return this.invalid(value, `${where}/@value`, number, '数値である必要があります');
      const unit = attributeValue(value, 'unit');
      return { valueType: 'PQ' as const, value: number, ...(unit === undefined ? {} : { unit }) };
    }
    if (type === 'CD' || type === 'CO') {
      const code = attributeValue(value, 'code') ?? '';
      if (code === '') return this.missing(value, `${where}/@code`);
      const display = attributeValue(value, 'displayName') ?? urineResults[code];
      return {
        valueType: type as 'CD' | 'CO',
        value: code,
        ...(display === undefined ? {} : { valueDisplay: display }),
      };
    }
    if (type === 'ST') return { valueType: 'ST' as const, value: value.text };
    return this.invalid(value, `${where}/@xsi:type`, type, 'PQ・CD・CO・ST のいずれかである必要があります');
  }

  /** referenceRange/observationRange/value (IVL_PQ): low/@value and high/@value, when given. */
  private range(observation: XmlElement): { referenceLow?: string; referenceHigh?: string } {
    const interval = path(observation, 'referenceRange', 'observationRange', 'value');
    const low = attributeValue(child(interval, 'low') ?? observation, 'value');
    const high = attributeValue(child(interval, 'high') ?? observation, 'value');
    if (interval === undefined) return {};
    return {
      ...(low === undefined ? {} : { referenceLow: low }),
      ...(high === undefined ? {} : { referenceHigh: high }),
    };
  }
}
