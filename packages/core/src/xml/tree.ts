/**
 * Generic XML reader: the whole document as a tree of elements with their attributes, resolved
 * namespaces and text — for documents the schema-directed message reader does not fit, such as
 * the HL7 CDA of 特定健診 files, whose data lives in attributes (`<value xsi:type="PQ" value="170.2"
 * unit="cm"/>`).
 *
 * It shares the lexical layer (scanner.ts) with the message reader, so the same rules hold: DOCTYPE
 * and entity declarations are refused (XML_DOCTYPE_FORBIDDEN), only the five predefined entities and
 * character references are expanded, forbidden characters are refused, and every other failure is
 * XML_MALFORMED with the character offset. `lineOf(offset)` turns an offset into a 1-based line.
 */
import { OnshiError } from '../errors.ts';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './codec.ts';
import { decodeBytes, detectEncoding } from './encoding.ts';
import { documentText, isSpace, Scanner } from './scanner.ts';

export interface XmlAttribute {
  /** As written, with its prefix ('xsi:type'). */
  readonly name: string;
  readonly localName: string;
  /** Namespace URI; '' for an unprefixed attribute. */
  readonly namespace: string;
  readonly value: string;
}

export interface XmlElement {
  readonly name: string;
  readonly localName: string;
  /** Namespace URI; '' when none is in scope. */
  readonly namespace: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Character data directly inside the element (CDATA included), not that of its children. */
  readonly text: string;
  /** Offset of the element's '<' in the document text (line ends normalised). */
  readonly offset: number;
}

export interface XmlTree {
  readonly root: XmlElement;
  /** 1-based line of a character offset (as carried by elements and XML_MALFORMED errors). */
  lineOf(offset: number): number;
}

export interface TreeOptions {
  /** Largest accepted input, in bytes (for a string: UTF-16 code units). Default 1 MiB. */
  readonly maxBytes?: number;
  /** Deepest element nesting accepted, root = 1. Default 32. */
  readonly maxDepth?: number;
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** Parses a whole document (bytes decoded as declared, UTF-8 or Shift_JIS) into an element tree. */
export function parseXmlTree(input: Uint8Array | string, options?: TreeOptions): XmlTree {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (input.length > maxBytes) throw new OnshiError('XML_INPUT_TOO_LARGE', { limit: maxBytes });
  const decoded = typeof input === 'string' ? input : decodeBytes(input, detectEncoding(input));
  const { text, start } = documentText(decoded);
  const root = new TreeReader(text, start, options?.maxDepth ?? DEFAULT_MAX_DEPTH).document();
  return { root, lineOf: (offset) => lineOf(text, offset) };
}

/** The value of an attribute by local name and namespace ('' = unprefixed), or undefined. */
export function attributeValue(element: XmlElement, localName: string, namespace = ''): string | undefined {
  return element.attributes.find((a) => a.localName === localName && a.namespace === namespace)?.value;
}

/** The children of `element` with the given local name and namespace. */
export function childElements(element: XmlElement, localName: string, namespace: string): XmlElement[] {
  return element.children.filter((c) => c.localName === localName && c.namespace === namespace);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

interface RawAttribute {
  readonly name: string;
  readonly value: string;
  readonly offset: number;
}

type Scope = ReadonlyMap<string, string>;

class TreeReader extends Scanner {
  readonly maxDepth: number;

  constructor(s: string, start: number, maxDepth: number) {
    super(s, start);
    this.maxDepth = maxDepth;
  }

  document(): XmlElement {
    this.misc();
    if (this.p >= this.n) throw this.malformed('no root element', this.p);
    const root = this.element(new Map([['xml', XML_NAMESPACE]]), 1);
    this.misc();
    if (this.p < this.n) throw this.malformed('content after the root element', this.p);
    return root;
  }

  /** Reads the element whose '<' is at the cursor, with everything inside it. */
  private element(parentScope: Scope, depth: number): XmlElement {
    if (depth > this.maxDepth) throw this.malformed(`nesting deeper than ${this.maxDepth}`, this.p);
    const offset = this.p;
    const nameEnd = this.nameEnd(offset + 1);
    const name = this.s.slice(offset + 1, nameEnd);
    const { raw, empty } = this.startTagAttributes(nameEnd);
    const scope = declareNamespaces(parentScope, raw);
    const attributes = raw
      .filter((a) => a.name !== 'xmlns' && !a.name.startsWith('xmlns:'))
      .map((a) => this.attribute(a, scope));
    const [prefix, localName] = splitName(name);
    const namespace = this.resolve(scope, prefix, offset);
    const children: XmlElement[] = [];
    let text = '';
    if (!empty) text = this.content(name, scope, depth, children);
    return { name, localName, namespace, attributes, children, text, offset };
  }

  /** Reads content up to and including `</name>`; appends child elements; returns the text. */
  private content(name: string, scope: Scope, depth: number, children: XmlElement[]): string {
    const s = this.s;
    let text = '';
    for (;;) {
      const start = this.p;
      const lt = this.textEnd(start);
      text += this.text(s.slice(start, lt), start);
      const c = s.charCodeAt(lt + 1);
      if (c === 0x2f) {
        this.closeTag(name, lt);
        return text;
      }
      if (c === 0x21 || c === 0x3f) {
        text += this.markup(lt) ?? '';
        continue;
      }
      this.p = lt;
      children.push(this.element(scope, depth + 1));
    }
  }

  /** The attributes of a start tag whose name ends at `p`; leaves the cursor after '>' or '/>'. */
  private startTagAttributes(p: number): { raw: RawAttribute[]; empty: boolean } {
    const s = this.s;
    const raw: RawAttribute[] = [];
    for (;;) {
      const before = p;
      while (isSpace(s.charCodeAt(p))) p++;
      const c = s.charCodeAt(p);
      if (c === 0x3e || c === 0x2f) {
        if (c === 0x2f && s.charCodeAt(p + 1) !== 0x3e) throw this.malformed("'>' expected after '/'", p + 1);
        this.p = p + (c === 0x2f ? 2 : 1);
        return { raw, empty: c === 0x2f };
      }
      if (p === before) throw this.malformed(p >= this.n ? 'unclosed start tag' : 'bad start tag', p);
      const end = this.nameEnd(p);
      const name = s.slice(p, end);
      if (raw.some((a) => a.name === name)) throw this.malformed(`duplicate attribute ${name}`, p);
      const value = this.attributeValue(end);
      raw.push({ name, value: value.value, offset: p });
      p = value.end;
    }
  }

  /** Reads `= "value"` after an attribute name: the normalised, expanded value and the end offset. */
  private attributeValue(p: number): { value: string; end: number } {
    const s = this.s;
    while (isSpace(s.charCodeAt(p))) p++;
    if (s.charCodeAt(p) !== 0x3d) throw this.malformed("'=' expected after attribute name", p);
    p++;
    while (isSpace(s.charCodeAt(p))) p++;
    const quote = s.charCodeAt(p);
    if (quote !== 0x22 && quote !== 0x27) throw this.malformed('quoted attribute value expected', p);
    const close = s.indexOf(quote === 0x22 ? '"' : "'", p + 1);
    if (close < 0) throw this.malformed('unclosed attribute value', p);
    const lt = s.indexOf('<', p + 1);
    if (lt >= 0 && lt < close) throw this.malformed("'<' in attribute value", lt);
    // Attribute-value normalisation: literal white space becomes a space before references expand.
    const literal = s.slice(p + 1, close).replace(/[\t\n]/g, ' ');
    return { value: this.text(literal, p + 1), end: close + 1 };
  }

  private attribute(raw: RawAttribute, scope: Scope): XmlAttribute {
    const [prefix, localName] = splitName(raw.name);
    const namespace = prefix === '' ? '' : this.resolve(scope, prefix, raw.offset);
    return { name: raw.name, localName, namespace, value: raw.value };
  }

  private resolve(scope: Scope, prefix: string, offset: number): string {
    const namespace = scope.get(prefix);
    if (namespace !== undefined) return namespace;
    if (prefix === '') return '';
    throw this.malformed(`namespace prefix ${prefix} is not declared`, offset);
  }
}

function splitName(name: string): [prefix: string, localName: string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

/** The scope inside an element: the parent's, plus the element's `xmlns` / `xmlns:p` attributes. */
function declareNamespaces(parent: Scope, raw: readonly RawAttribute[]): Scope {
  let scope: Map<string, string> | undefined;
  for (const a of raw) {
    const prefix = a.name === 'xmlns' ? '' : a.name.startsWith('xmlns:') ? a.name.slice(6) : undefined;
    if (prefix === undefined) continue;
    scope ??= new Map(parent);
    scope.set(prefix, a.value);
  }
  return scope ?? parent;
}
