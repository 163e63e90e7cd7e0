/**
 * The file-name grammar of the folder interface (oqs-interface.md §1.2):
 * `{SYS}{si|mu}{func}{step}req_{suffix}.xml`, and the result name that mirrors it (`req` → `res`).
 */

/** What the connector does with a request file, decided by its name alone. */
export type RequestKind =
  | 'qualification'
  | 'referenceNumber'
  | 'bulkQualification'
  | 'bulkQualificationResult'
  | 'bulkReferenceNumber'
  | 'bulkReferenceNumberResult'
  | 'medications'
  | 'checkups'
  | 'notAvailable'
  | 'unknownName';

/** The kinds central answers. */
export type CentralKind = Exclude<RequestKind, 'notAvailable' | 'unknownName'>;

export interface RequestName {
  readonly kind: RequestKind;
  /** `OQSsiquc01`, `YZKsiquc01`, …; the whole name when it is outside the grammar. */
  readonly interfaceName: string;
  /** The result file name written into `res/` (`.xml`; a PDF answer of YZK/TKK takes `.pdf`). */
  readonly resultName: string;
}

const grammar = /^([A-Z]{3})(si|mu)([a-z]{3})(\d{2})req_([0-9A-Za-z_-]+)\.xml$/;

/** Interfaces answered through central, by the name's prefix. */
const answered: Readonly<Record<string, CentralKind>> = {
  OQSsiquc01: 'qualification',
  OQSsiimm01: 'referenceNumber',
  OQSmuquc01: 'bulkQualification',
  OQSmuquc02: 'bulkQualificationResult',
  OQSmuimm01: 'bulkReferenceNumber',
  OQSmuimm02: 'bulkReferenceNumberResult',
  YZKsiquc01: 'medications',
  TKKsiquc01: 'checkups',
};

/** 薬剤情報 / 特定健診情報: only for a 医療情報閲覧者, answered as XML or PDF. */
export const isMedinfoKind = (kind: RequestKind): kind is 'medications' | 'checkups' =>
  kind === 'medications' || kind === 'checkups';

/** The two-phase batch interfaces (§2.4, §2.5): answered in the request's encoding, possibly large. */
export const isBatchKind = (
  kind: RequestKind,
): kind is
  | 'bulkQualification'
  | 'bulkQualificationResult'
  | 'bulkReferenceNumber'
  | 'bulkReferenceNumberResult' => kind.startsWith('bulk');

/** A result name with its extension replaced (`…res_X.xml` → `…res_X.pdf`). */
export function withExtension(resultName: string, extension: 'xml' | 'pdf'): string {
  return resultName.replace(/\.xml$/, `.${extension}`);
}

/**
 * Names a writer is still working on or that are not requests at all: dot files, Office-style
 * `~$` locks, and temp suffixes. They are never read.
 */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~') || /\.(tmp|part|partial|swp)$/i.test(name);
}

/** The mirrored result name of any request name (`req` → `res`, first occurrence). */
export function resultNameFor(name: string): string {
  if (name.includes('req')) return name.replace('req', 'res');
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}_res.xml`;
}

export function parseRequestName(name: string): RequestName {
  const match = grammar.exec(name);
  if (match === null) return { kind: 'unknownName', interfaceName: name, resultName: resultNameFor(name) };
  const interfaceName = `${match[1]}${match[2]}${match[3]}${match[4]}`;
  return {
    kind: answered[interfaceName] ?? 'notAvailable',
    interfaceName,
    resultName: `${interfaceName}res_${match[5]}.xml`,
  };
}
