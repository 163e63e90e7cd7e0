/**
 * Schema-directed XML writer: elements in schema order, absent or empty optional elements
 * omitted, text escaped. It writes what the message holds and invents nothing; a required
 * element that is missing → MSG_FIELD_REQUIRED, a value of the wrong shape → MSG_FIELD_INVALID,
 * a character XML 1.0 cannot carry (control characters, lone surrogates) → XML_CHARACTER_UNENCODABLE.
 */
import { OnshiError } from '../errors.ts';
import { GROUP, type SchemaNode } from './schema.ts';

type Message = Record<string, unknown>;

/** Writes the root element (`<XmlMsg>…</XmlMsg>`) of a message, without declaration. */
export function writeRoot(message: unknown, root: SchemaNode): string {
  return `<${root.name}>${writeChildren(root, asObject(message, root.name), '')}</${root.name}>`;
}

function asObject(value: unknown, field: string): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: 'an object is expected' });
  }
  return value as Message;
}

function writeChildren(node: SchemaNode, obj: Message, path: string): string {
  let out = '';
  for (const child of node.children) {
    const value = obj[child.name];
    const field = path + child.name;
    if (value === undefined || value === '') {
      if (child.required) throw new OnshiError('MSG_FIELD_REQUIRED', { field });
      continue;
    }
    if (!child.repeated) {
      out += writeElement(child, value, field);
      continue;
    }
    if (!Array.isArray(value))
      throw new OnshiError('MSG_FIELD_INVALID', { field, detail: 'an array is expected' });
    if (value.length === 0 && child.required) throw new OnshiError('MSG_FIELD_REQUIRED', { field });
    for (let i = 0; i < value.length; i++) out += writeElement(child, value[i], `${field}[${i + 1}]`);
  }
  return out;
}

function writeElement(node: SchemaNode, value: unknown, field: string): string {
  if (node.kind === GROUP) {
    const inner = writeChildren(node, asObject(value, field), `${field}/`);
    return inner === '' && !node.required ? '' : `<${node.name}>${inner}</${node.name}>`;
  }
  if (typeof value !== 'string')
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: 'a string is expected' });
  return value === '' ? '' : `<${node.name}>${escapeText(value)}</${node.name}>`;
}

/** Replacement for a character that needs one, '' for one that goes as is; throws on forbidden ones. */
function replacement(text: string, i: number, c: number): string {
  if (c === 0x26) return '&amp;';
  if (c === 0x3c) return '&lt;';
  if (c === 0x3e) return '&gt;';
  if (c === 0x0d) return '&#13;';
  if (c < 0x20) {
    if (c === 0x09 || c === 0x0a) return '';
    throw unencodable(c);
  }
  const paired =
    c <= 0xdbff
      ? (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
      : c <= 0xdfff
        ? (text.charCodeAt(i - 1) & 0xfc00) === 0xd800
        : c < 0xfffe;
  if (!paired) throw unencodable(c);
  return '';
}

/** Escapes `&`, `<`, `>` and CR (as `&#13;`, so it survives line-end normalisation). */
export function escapeText(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x3f ? c === 0x26 || c === 0x3c || c === 0x3e || c < 0x20 : c >= 0xd800) {
      const r = replacement(text, i, c);
      if (r !== '') {
        out += text.slice(from, i) + r;
        from = i + 1;
      }
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

function unencodable(code: number): OnshiError {
  return new OnshiError('XML_CHARACTER_UNENCODABLE', {
    encoding: 'XML 1.0',
    char: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
  });
}
