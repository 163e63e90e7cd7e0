/**
 * Schema-directed XML writer: elements in schema order, absent or empty optional elements
 * omitted, text escaped. It writes what the message holds and invents nothing; a required
 * element that is missing → MSG_FIELD_REQUIRED, a value of the wrong shape → MSG_FIELD_INVALID,
 * a character XML 1.0 or the encoding cannot carry → XML_CHARACTER_UNENCODABLE.
 */
import { OnshiError } from '../errors.ts';
import type { XmlEncoding } from './encoding.ts';
import { GROUP, type SchemaNode } from './schema.ts';
import { ByteSink } from './sink.ts';

type Message = Record<string, unknown>;

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

const DECLARATIONS: Readonly<Record<XmlEncoding, Uint8Array>> = {
  'utf-8': ascii('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'),
  shift_jis: ascii('<?xml version="1.0" encoding="Shift_JIS" standalone="no"?>\n'),
};

/** Writes a whole document, declaration included, in the given encoding. */
export function writeDocument(message: unknown, root: SchemaNode, encoding: XmlEncoding): Uint8Array {
  const sink = new ByteSink(encoding);
  sink.bytes(DECLARATIONS[encoding]);
  writeGroup(sink, root, asObject(message, root.name), '');
  return sink.result();
}

function asObject(value: unknown, field: string): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: 'an object is expected' });
  }
  return value as Message;
}

/** Writes `<group>children</group>`; an optional group left empty is taken back out. */
function writeGroup(sink: ByteSink, node: SchemaNode, obj: Message, path: string): void {
  const start = sink.n;
  sink.bytes(node.openBytes);
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as SchemaNode;
    const value = obj[child.name];
    if (value === undefined || value === '') {
      if (child.required) throw new OnshiError('MSG_FIELD_REQUIRED', { field: path + child.name });
    } else if (!child.repeated) {
      writeElement(sink, child, value, path, 0);
    } else {
      writeList(sink, child, value, path);
    }
  }
  if (sink.n === start + node.openBytes.length && !(node.required && !node.repeated)) sink.n = start;
  else sink.bytes(node.closeBytes);
}

function writeList(sink: ByteSink, node: SchemaNode, value: unknown, path: string): void {
  const field = fieldOf(path, node, 0);
  if (!Array.isArray(value))
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: 'an array is expected' });
  if (value.length === 0 && node.required) throw new OnshiError('MSG_FIELD_REQUIRED', { field });
  for (let i = 0; i < value.length; i++) writeElement(sink, node, value[i], path, i + 1);
}

/** The path of an element for error messages; `position` counts repeated elements from 1. */
function fieldOf(path: string, node: SchemaNode, position: number): string {
  return position === 0 ? path + node.name : `${path}${node.name}[${position}]`;
}

function writeElement(
  sink: ByteSink,
  node: SchemaNode,
  value: unknown,
  path: string,
  position: number,
): void {
  if (node.kind === GROUP) {
    const field = fieldOf(path, node, position);
    writeGroup(sink, node, asObject(value, field), `${field}/`);
    return;
  }
  if (typeof value !== 'string') {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: fieldOf(path, node, position),
      detail: 'a string is expected',
    });
  }
  if (value === '') return;
  sink.bytes(node.openBytes);
  sink.text(value);
  sink.bytes(node.closeBytes);
}
