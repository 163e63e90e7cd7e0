/**
 * Writes a 特定健診 XML document (HL7 CDA R2, the shape checkups.parse.ts reads) for the synthetic
 * generator and tests. UTF-8, one person, one examination, one section of observations.
 */
import { toWireDate } from '@onshi/core';
import { CHECKUP_ITEM_SYSTEM } from './checkups.items.ts';
import { HL7, OID, XSI } from './checkups.parse.ts';

export interface CheckupResultSpec {
  readonly code: string;
  readonly name: string;
  readonly type: 'PQ' | 'CO' | 'ST';
  readonly value: string;
  readonly unit?: string;
  readonly display?: string;
  readonly low?: string;
  readonly high?: string;
  /** 'H' | 'L' | 'N' */
  readonly interpretation?: string;
}

export interface CheckupSpec {
  readonly documentId: string;
  readonly insurerNumber: string;
  readonly cardSymbol: string;
  readonly cardNumber: string;
  readonly branchNumber?: string;
  readonly nameKana: string;
  readonly sex: string;
  readonly birthdate: string;
  readonly examDate: string;
  readonly institutionCode: string;
  readonly institutionName: string;
  readonly results: readonly CheckupResultSpec[];
}

/** Result codes of urine test strips are written in this code system. */
export const URINE_RESULT_SYSTEM = '1.2.392.200119.6.2101';

function xmlEscape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function attrs(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(v!)}"`)
    .join('');
}

function valueXml(r: CheckupResultSpec): string {
  if (r.type === 'PQ') return `<value xsi:type="PQ"${attrs({ value: r.value, unit: r.unit })}/>`;
  if (r.type === 'CO') {
    return `<value xsi:type="CO"${attrs({ code: r.value, codeSystem: URINE_RESULT_SYSTEM, displayName: r.display })}/>`;
  }
  return `<value xsi:type="ST">${xmlEscape(r.value)}</value>`;
}

function rangeXml(r: CheckupResultSpec): string {
  if (r.low === undefined && r.high === undefined) return '';
  const low = r.low === undefined ? '' : `<low${attrs({ value: r.low, unit: r.unit })}/>`;
  const high = r.high === undefined ? '' : `<high${attrs({ value: r.high, unit: r.unit })}/>`;
  return `\n            <referenceRange><observationRange><value xsi:type="IVL_PQ">${low}${high}</value></observationRange></referenceRange>`;
}

function observationXml(r: CheckupResultSpec): string {
  const interpretation =
    r.interpretation === undefined
      ? ''
      : `\n            <interpretationCode code="${r.interpretation}" codeSystem="2.16.840.1.113883.5.83"/>`;
  return `        <entry>
          <observation classCode="OBS" moodCode="EVN">
            <code${attrs({ code: r.code, codeSystem: CHECKUP_ITEM_SYSTEM, displayName: r.name })}/>
            ${valueXml(r)}${interpretation}${rangeXml(r)}
          </observation>
        </entry>`;
}

/** The document as text. */
export function checkupXml(s: CheckupSpec): string {
  const exam = toWireDate(s.examDate);
  const branch =
    s.branchNumber === undefined
      ? ''
      : `\n      <id root="${OID.branchNumber}" extension="${s.branchNumber}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="${HL7}" xmlns:xsi="${XSI}">
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <id root="1.2.392.200119.6.102.${s.institutionCode}" extension="${xmlEscape(s.documentId)}"/>
  <code code="10" codeSystem="1.2.392.200119.6.1001"/>
  <title>特定健診情報</title>
  <effectiveTime value="${exam}"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <recordTarget>
    <patientRole>
      <id root="${OID.insurerNumber}" extension="${s.insurerNumber}"/>
      <id root="${OID.cardSymbol}"${attrs({ extension: s.cardSymbol })}/>
      <id root="${OID.cardNumber}"${attrs({ extension: s.cardNumber })}/>${branch}
      <patient>
        <name>${xmlEscape(s.nameKana)}</name>
        <administrativeGenderCode code="${s.sex}" codeSystem="1.2.392.200119.6.1104"/>
        <birthTime value="${toWireDate(s.birthdate)}"/>
      </patient>
    </patientRole>
  </recordTarget>
  <author>
    <time value="${exam}"/>
    <assignedAuthor>
      <id root="${OID.institution}" extension="${s.institutionCode}"/>
      <representedOrganization>
        <id root="${OID.institution}" extension="${s.institutionCode}"/>
        <name>${xmlEscape(s.institutionName)}</name>
      </representedOrganization>
    </assignedAuthor>
  </author>
  <documentationOf>
    <serviceEvent>
      <code code="1" codeSystem="1.2.392.200119.6.1002"/>
      <effectiveTime value="${exam}"/>
    </serviceEvent>
  </documentationOf>
  <component>
    <structuredBody>
      <component>
        <section>
          <code code="01010" codeSystem="1.2.392.200119.6.1010"/>
          <title>検査・問診結果</title>
${s.results.map(observationXml).join('\n')}
        </section>
      </component>
    </structuredBody>
  </component>
</ClinicalDocument>
`;
}

export function encodeCheckup(spec: CheckupSpec): Uint8Array {
  return new TextEncoder().encode(checkupXml(spec));
}
