/**
 * Lexical layer of the XML reader: a cursor over the decoded text with the few productions OQS
 * documents need — names, start/end tags with attributes, comments, CDATA, processing
 * instructions, character and entity references. DOCTYPE and entity declarations are refused.
 *
 * Speed: on this class of machine a JavaScript loop costs ~1.5 ns per character, while the
 * built-in `indexOf`/`startsWith` scan many characters per nanosecond. So markup is found with
 * `indexOf`, names are compared with `startsWith`, and only text content is looked at character
 * by character (to refuse characters XML forbids and to spot references). Line ends are
 * normalised once for the whole document (`normaliseLineEnds`), as XML prescribes.
 *
 * Errors carry the character offset in the (normalised) text.
 */
import { OnshiError } from '../errors.ts';
import { parseDeclaration } from './encoding.ts';

/** 1 = may start a name, 2 = may continue one (ASCII only; every code unit ≥ 0xC0 may do both). */
const NAME_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a;
  const other = (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
  NAME_CHARS[c] = letter ? 3 : other ? 2 : 0;
}

const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

function isXmlChar(code: number): boolean {
  return code >= 0x20
    ? code <= 0xd7ff || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
    : code === 0x09 || code === 0x0a || code === 0x0d;
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** XML end-of-line handling: CR LF and lone CR become LF, before anything else is parsed. */
function normaliseLineEnds(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n');
}

/**
 * A whole document's text prepared for a Scanner: line ends normalised, and the offset where the
 * content starts (after a byte order mark and the XML declaration).
 */
export function documentText(input: string): { text: string; start: number } {
  const text = normaliseLineEnds(input);
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.startsWith('<?xml', start) && isSpace(text.charCodeAt(start + 5))) {
    start = parseDeclaration(text, start).end;
  }
  return { text, start };
}

export class Scanner {
  readonly s: string;
  readonly n: number;
  /** The cursor. */
  p: number;

  constructor(s: string, start: number) {
    this.s = s;
    this.n = s.length;
    this.p = start;
  }

  /** Skips white space, comments and processing instructions outside the root element. */
  misc(): void {
    const s = this.s;
    for (;;) {
      let p = this.p;
      while (isSpace(s.charCodeAt(p))) p++;
      this.p = p;
      if (p >= this.n) return;
      if (s.charCodeAt(p) !== 0x3c) throw this.malformed('text outside the root element', p);
      const c = s.charCodeAt(p + 1);
      if (c !== 0x21 && c !== 0x3f) return;
      if (this.markup(p) !== undefined) throw this.malformed('CDATA outside the root element', p);
    }
  }

  malformed(detail: string, offset: number = this.p): OnshiError {
    return new OnshiError('XML_MALFORMED', { detail, offset });
  }

  /** End of the name starting at `start`; throws when there is none. */
  nameEnd(start: number): number {
    const s = this.s;
    let c = s.charCodeAt(start);
    if (!(c < 128 ? (NAME_CHARS[c] ?? 0) & 1 : c >= 0xc0)) throw this.malformed('name expected', start);
    let p = start + 1;
    for (c = s.charCodeAt(p); c < 128 ? NAME_CHARS[c] !== 0 : c >= 0xc0; c = s.charCodeAt(++p));
    return p;
  }

  /**
   * Scans the attributes and the end of a start tag whose name ends at `p`; leaves the cursor
   * after '>'. Attributes are checked for syntax and ignored. Returns true for `<name/>`.
   */
  finishStartTag(p: number): boolean {
    const s = this.s;
    let c = s.charCodeAt(p);
    let seen: string[] | undefined;
    for (;;) {
      const before = p;
      while (isSpace(c)) c = s.charCodeAt(++p);
      if (c === 0x3e) {
        this.p = p + 1;
        return false;
      }
      if (c === 0x2f) {
        if (s.charCodeAt(p + 1) !== 0x3e) throw this.malformed("'>' expected after '/'", p + 1);
        this.p = p + 2;
        return true;
      }
      if (p === before) throw this.malformed(p >= this.n ? 'unclosed start tag' : 'bad start tag', p);
      const end = this.nameEnd(p);
      const name = s.slice(p, end);
      seen ??= [];
      if (seen.includes(name)) throw this.malformed(`duplicate attribute ${name}`, p);
      seen.push(name);
      p = this.attributeValueEnd(end);
      c = s.charCodeAt(p);
    }
  }

  /** Checks `= "value"` after an attribute name; returns the offset after the closing quote. */
  private attributeValueEnd(p: number): number {
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
    this.text(s.slice(p + 1, close), p + 1);
    return close + 1;
  }

  /**
   * Checks `</name>` at `p` (which points at '<') and moves the cursor past it. `endTag` is
   * `'</' + name`: for long names the built-in substring search compares faster than
   * `startsWith`, and it cannot run far, because a mismatch ends the parse.
   */
  closeTag(name: string, p: number, endTag?: string): void {
    const s = this.s;
    const matches =
      endTag !== undefined && name.length > 16 ? s.indexOf(endTag, p) === p : s.startsWith(name, p + 2);
    let q = p + 2 + name.length;
    let c = s.charCodeAt(q);
    if (!matches || !(c === 0x3e || isSpace(c))) throw this.malformed(`end tag does not match <${name}>`, p);
    while (isSpace(c)) c = s.charCodeAt(++q);
    if (c !== 0x3e) throw this.malformed("'>' expected", q);
    this.p = q + 1;
  }

  /** Offset of the '<' ending character data that starts at `p`. */
  textEnd(p: number): number {
    const lt = this.s.indexOf('<', p);
    if (lt < 0) throw this.malformed('unexpected end of input', this.n);
    return lt;
  }

  /**
   * Character data found at `offset`, with references expanded. Refuses characters XML does not
   * allow (control characters, lone surrogates, U+FFFE/U+FFFF) and stray '&'.
   */
  text(raw: string, offset: number): string {
    let special = false;
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c < 0x27 ? c === 0x26 || (c < 0x20 && c !== 0x0a && c !== 0x09) : c >= 0xd800) special = true;
    }
    if (!special) return raw;
    this.checkChars(raw, offset);
    const amp = raw.indexOf('&');
    return amp < 0 ? raw : this.expandReferences(raw, amp, offset);
  }

  private expandReferences(text: string, amp: number, offset: number): string {
    let out = '';
    let from = 0;
    while (amp >= 0) {
      const semi = text.indexOf(';', amp);
      if (semi < 0 || semi - amp > 12) throw this.malformed("'&' without a reference", offset + amp);
      out += text.slice(from, amp) + this.reference(text.slice(amp + 1, semi), offset + amp);
      from = semi + 1;
      amp = text.indexOf('&', from);
    }
    return out + text.slice(from);
  }

  private reference(body: string, offset: number): string {
    if (body.charCodeAt(0) !== 0x23) {
      const named = PREDEFINED.get(body);
      if (named === undefined) throw this.malformed(`undefined entity &${body};`, offset);
      return named;
    }
    const hex = body.charCodeAt(1) === 0x78;
    const digits = body.slice(hex ? 2 : 1);
    if (!(hex ? /^[0-9A-Fa-f]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) {
      throw this.malformed('bad character reference', offset);
    }
    const code = Number.parseInt(digits, hex ? 16 : 10);
    if (!isXmlChar(code)) throw this.malformed('character reference to a non-XML character', offset);
    return String.fromCodePoint(code);
  }

  /** Refuses control characters, lone surrogates and U+FFFE/U+FFFF. */
  checkChars(text: string, offset: number): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20) {
        if (c !== 0x0a && c !== 0x09 && c !== 0x0d) throw this.malformed('control character', offset + i);
      } else if (c >= 0xd800) {
        if (c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
        else if (c <= 0xdfff || c >= 0xfffe) throw this.malformed('not an XML character', offset + i);
      }
    }
  }

  /**
   * Skips `<!--…-->`, `<?…?>` or `<![CDATA[…]]>` at `p` (pointing at '<'). Returns the CDATA
   * content (undefined for comments and processing instructions). Refuses `<!DOCTYPE`/`<!ENTITY`.
   */
  markup(p: number): string | undefined {
    const s = this.s;
    if (s.charCodeAt(p + 1) === 0x3f) {
      const end = s.indexOf('?>', p + 2);
      if (end < 0) throw this.malformed('unclosed processing instruction', p);
      const target = s.slice(p + 2, this.nameEnd(p + 2));
      if (target.toLowerCase() === 'xml') throw this.malformed('XML declaration not at the start', p);
      this.checkChars(s.slice(p, end), p);
      this.p = end + 2;
      return undefined;
    }
    if (s.startsWith('<!--', p)) {
      const end = s.indexOf('-->', p + 4);
      if (end < 0) throw this.malformed('unclosed comment', p);
      if (s.indexOf('--', p + 4) !== end) throw this.malformed("'--' inside a comment", p);
      this.checkChars(s.slice(p + 4, end), p + 4);
      this.p = end + 3;
      return undefined;
    }
    if (s.startsWith('<![CDATA[', p)) {
      const end = s.indexOf(']]>', p + 9);
      if (end < 0) throw this.malformed('unclosed CDATA section', p);
      const content = s.slice(p + 9, end);
      this.checkChars(content, p + 9);
      this.p = end + 3;
      return content;
    }
    const word = s.slice(p + 2, p + 9).toUpperCase();
    if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) {
      throw new OnshiError('XML_DOCTYPE_FORBIDDEN', { offset: p });
    }
    throw this.malformed("bad markup after '<!'", p);
  }
}
