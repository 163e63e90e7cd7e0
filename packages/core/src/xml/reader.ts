/**
 * Schema-directed XML reader: walks the decoded text once and builds the message object as it
 * goes, matching children by element NAME in any order (real files do not keep a stable order).
 *
 * - text elements keep their text exactly (no trimming); empty ones count as absent;
 * - repeated elements become arrays; a non-repeated element given twice → MSG_ELEMENT_REPEATED;
 * - a required element that is absent or empty → MSG_FIELD_REQUIRED with its path;
 * - unknown elements are skipped, but must be well-formed;
 * - white space, comments and processing instructions between elements are ignored; other text
 *   where elements are expected, or an element inside a text element → MSG_FIELD_INVALID.
 */
import { OnshiError } from '../errors.ts';
import { documentText, isSpace, Scanner } from './scanner.ts';
import { GROUP, nameKey, type SchemaNode } from './schema.ts';

type Message = Record<string, unknown>;

const EMPTY = '';

/** Reads a whole document (already decoded to text) against a compiled root element. */
export function readDocument(input: string, root: SchemaNode, maxDepth: number): Message {
  const { text, start } = documentText(input);
  return new Reader(text, start, maxDepth).document(root);
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

class Reader extends Scanner {
  readonly maxDepth: number;
  /** Whether the start tag `startTag` just read was `<name/>`. */
  empty = false;

  constructor(s: string, start: number, maxDepth: number) {
    super(s, start);
    this.maxDepth = maxDepth;
  }

  document(root: SchemaNode): Message {
    this.misc();
    const p = this.p;
    if (p >= this.n) throw this.malformed('no root element', p);
    const nameEnd = this.nameEnd(p + 1);
    const name = this.s.slice(p + 1, nameEnd);
    const empty = this.finishStartTag(nameEnd);
    if (name !== root.name)
      throw new OnshiError('XML_ROOT_UNEXPECTED', { expected: root.name, actual: name });
    const message = empty ? this.emptyGroup(root, '') : this.group(root, '', 1);
    this.misc();
    if (this.p < this.n) throw this.malformed('content after the root element', this.p);
    return message ?? {};
  }

  /** Reads the content of a group element whose start tag has been read, up to its end tag. */
  private group(node: SchemaNode, path: string, depth: number): Message | undefined {
    if (depth > this.maxDepth) throw this.malformed(`nesting deeper than ${this.maxDepth}`, this.p);
    const s = this.s;
    // Values by child index; turned into an object in schema order at the end, which keeps
    // object shapes (hidden classes) shared between documents whatever their element order.
    const values = new Array<unknown>(node.children.length);
    let count = 0;
    let previous = 0;
    for (;;) {
      let p = this.p;
      let c = s.charCodeAt(p);
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++p);
      if (c !== 0x3c) throw this.strayText(node, path, p);
      c = s.charCodeAt(p + 1);
      if (c === 0x2f) {
        this.closeTag(node.name, p, node.endTag);
        break;
      }
      if (c === 0x21 || c === 0x3f) {
        const cdata = this.markup(p);
        if (cdata !== undefined && !isBlank(cdata)) throw this.strayText(node, path, p);
        continue;
      }
      const child = this.startTag(node, p, depth, previous);
      if (child === undefined) continue;
      node.next[previous] = child.index + 1;
      previous = child.index + 1;
      const empty = this.empty;
      const value =
        child.kind === GROUP
          ? this.childGroup(child, values[child.index], path, empty, depth)
          : empty
            ? undefined
            : this.leaf(child);
      count += store(values, child, value, path);
    }
    return count === 0 ? this.emptyGroup(node, path) : build(node, values, path);
  }

  /**
   * Reads the start tag at `p` and finds it among the children of `node`; leaves the cursor
   * after the tag and `this.empty` set. An unknown element is skipped whole and gives undefined.
   *
   * Fast path, for a tag without attributes: find '>' with `indexOf`, look the name up by its
   * `nameKey` and confirm with `startsWith`; the characters of the name are never visited here.
   */
  private startTag(node: SchemaNode, p: number, depth: number, previous: number): SchemaNode | undefined {
    const s = this.s;
    const next = node.next[previous] ?? 0;
    if (next !== 0) {
      const guess = node.children[next - 1] as SchemaNode;
      if (s.startsWith(guess.startTag, p + 1)) {
        this.p = p + 1 + guess.startTag.length;
        this.empty = false;
        return guess;
      }
    }
    const gt = s.indexOf('>', p + 2);
    if (gt > 0) {
      const empty = s.charCodeAt(gt - 1) === 0x2f;
      const length = (empty ? gt - 1 : gt) - p - 1;
      const slots = node.slots;
      const mask = slots.length - 1;
      for (let i = nameKey(s, p + 1, length) & mask; ; i = (i + 1) & mask) {
        const child = slots[i];
        if (child === undefined) break;
        if (child.name.length === length && s.startsWith(child.name, p + 1)) {
          this.p = gt + 1;
          this.empty = empty;
          return child;
        }
      }
    }
    return this.slowStartTag(node, p, depth);
  }

  /** `startTag` for tags with attributes or white space, and for unknown elements. */
  private slowStartTag(node: SchemaNode, p: number, depth: number): SchemaNode | undefined {
    const nameEnd = this.nameEnd(p + 1);
    const name = this.s.slice(p + 1, nameEnd);
    const child = node.byName.get(name);
    this.empty = this.finishStartTag(nameEnd);
    if (child === undefined && !this.empty) this.skip(name, depth + 1);
    return child;
  }

  private childGroup(child: SchemaNode, seen: unknown, path: string, empty: boolean, depth: number) {
    let childPath = path + child.name;
    if (child.repeated) childPath += `[${((seen as unknown[] | undefined)?.length ?? 0) + 1}]`;
    childPath += '/';
    return empty ? this.emptyGroup(child, childPath) : this.group(child, childPath, depth + 1);
  }

  /** A group with no content: absent, unless it is a required single element (then checked). */
  private emptyGroup(node: SchemaNode, path: string): Message | undefined {
    return node.required && !node.repeated ? build(node, [], path) : undefined;
  }

  /** Reads the content of a text element up to its end tag. */
  private leaf(node: SchemaNode): string {
    const s = this.s;
    const start = this.p;
    const end = this.textEnd(start);
    const value = this.text(s.slice(start, end), start);
    if (s.charCodeAt(end + 1) === 0x2f) {
      this.closeTag(node.name, end, node.endTag);
      return value;
    }
    return this.mixedText(node, value, end);
  }

  /** Slow path of `leaf`: the content continues with CDATA, comments or processing instructions. */
  private mixedText(node: SchemaNode, value: string, p: number): string {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(p + 1);
      if (c === 0x2f) {
        this.closeTag(node.name, p, node.endTag);
        return value;
      }
      if (c !== 0x21 && c !== 0x3f) {
        this.nameEnd(p + 1);
        throw new OnshiError('MSG_FIELD_INVALID', { field: node.name, detail: 'element inside text' });
      }
      value += this.markup(p) ?? '';
      const start = this.p;
      p = this.textEnd(start);
      value += this.text(s.slice(start, p), start);
    }
  }

  /** Skips an unknown element (its start tag read), checking that it is well-formed. */
  private skip(name: string, depth: number): void {
    if (depth > this.maxDepth) throw this.malformed(`nesting deeper than ${this.maxDepth}`, this.p);
    const s = this.s;
    const open = [name];
    for (;;) {
      const start = this.p;
      const p = this.textEnd(start);
      this.text(s.slice(start, p), start);
      const c = s.charCodeAt(p + 1);
      if (c === 0x2f) {
        this.closeTag(open.pop() ?? '', p);
        if (open.length === 0) return;
      } else if (c === 0x21 || c === 0x3f) {
        this.markup(p);
      } else {
        const nameEnd = this.nameEnd(p + 1);
        const child = s.slice(p + 1, nameEnd);
        if (!this.finishStartTag(nameEnd)) {
          if (depth + open.length > this.maxDepth)
            throw this.malformed(`nesting deeper than ${this.maxDepth}`, p);
          open.push(child);
        }
      }
    }
  }

  private strayText(node: SchemaNode, path: string, p: number): OnshiError {
    if (p >= this.n) return this.malformed('unexpected end of input', p);
    const field = path === '' ? node.name : path.slice(0, -1);
    return new OnshiError('MSG_FIELD_INVALID', {
      field,
      detail: `text where elements are expected (offset ${p})`,
    });
  }
}

function repeated(field: string): OnshiError {
  return new OnshiError('MSG_ELEMENT_REPEATED', { field });
}

/** Marks a non-repeated element that was present but empty (so a second one is refused). */
const SEEN_EMPTY = Symbol('empty');

/** Stores a child's value by index; returns 1 when a value was added. */
function store(values: unknown[], child: SchemaNode, value: unknown, path: string): number {
  const i = child.index;
  const previous = values[i];
  if (child.repeated) {
    if (value === undefined || value === EMPTY) return 0;
    if (previous === undefined) values[i] = [value];
    else (previous as unknown[]).push(value);
    return 1;
  }
  if (previous !== undefined) throw repeated(path + child.name);
  if (value === undefined || value === EMPTY) {
    values[i] = SEEN_EMPTY;
    return 0;
  }
  values[i] = value;
  return 1;
}

/** Builds a group's object from its values, in schema order, checking required children. */
function build(node: SchemaNode, values: unknown[], path: string): Message {
  const obj: Message = {};
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const value = values[i];
    const child = children[i] as SchemaNode;
    if (value !== undefined && value !== SEEN_EMPTY) obj[child.name] = value;
    else if (child.required) throw new OnshiError('MSG_FIELD_REQUIRED', { field: path + child.name });
  }
  return obj;
}
