/**
 * The JSON mirror of the XML messages: `{ "XmlMsg": <the message object> }`, element names as
 * keys, strings at the leaves, arrays exactly for repeated elements (oqs-interface.md §6: the real
 * web API's JSON mirrors the XML element names).
 *
 * `messageFromJson` validates as strictly as the XML reader: unknown keys, wrong shapes and
 * non-string leaves → MSG_FIELD_INVALID; required elements absent or empty → MSG_FIELD_REQUIRED.
 * Empty strings and empty optional groups are dropped. It returns a fresh object holding only
 * schema keys, never the caller's.
 */
import { OnshiError } from '../errors.ts';
import { GROUP, type MessageSchema, type SchemaNode } from './schema.ts';

type Message = Record<string, unknown>;

function invalid(field: string, detail: string): OnshiError {
  return new OnshiError('MSG_FIELD_INVALID', { field, detail });
}

function isPlainObject(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Validates a parsed JSON value `{ XmlMsg: … }` against a schema and returns the message. */
export function messageFromJson<T>(value: unknown, schema: MessageSchema<T>): T {
  const root = schema.root;
  if (!isPlainObject(value)) throw invalid('', 'a JSON object is expected');
  for (const key of Object.keys(value)) if (key !== root.name) throw invalid(key, 'unknown element');
  if (!Object.hasOwn(value, root.name)) throw new OnshiError('MSG_FIELD_REQUIRED', { field: root.name });
  return (readGroup(root, value[root.name], '') ?? {}) as T;
}

/** The JSON form of a message: `{ XmlMsg: message }`. */
export function messageToJson<T>(message: T): { XmlMsg: T } {
  return { XmlMsg: message };
}

function readGroup(node: SchemaNode, value: unknown, path: string): Message | undefined {
  const field = path === '' ? node.name : path.slice(0, -1);
  if (!isPlainObject(value)) throw invalid(field, 'an object is expected');
  const out: Message = {};
  let count = 0;
  for (const key of Object.keys(value)) {
    const child = node.byName.get(key);
    if (child === undefined) throw invalid(path + key, 'unknown element');
    const result = child.repeated
      ? readList(child, value[key], path)
      : readElement(child, value[key], path + key);
    if (result !== undefined) {
      out[key] = result;
      count++;
    }
  }
  if (count === 0 && !(node.required && !node.repeated)) return undefined;
  for (const child of node.requiredChildren) {
    if (out[child.name] === undefined)
      throw new OnshiError('MSG_FIELD_REQUIRED', { field: path + child.name });
  }
  return out;
}

function readList(node: SchemaNode, value: unknown, path: string): unknown[] | undefined {
  const field = path + node.name;
  if (!Array.isArray(value)) throw invalid(field, 'an array is expected');
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = readElement(node, value[i], `${field}[${i + 1}]`);
    if (item !== undefined) items.push(item);
  }
  return items.length === 0 ? undefined : items;
}

function readElement(node: SchemaNode, value: unknown, field: string): unknown {
  if (node.kind === GROUP) return readGroup(node, value, `${field}/`);
  if (typeof value !== 'string') throw invalid(field, 'a string is expected');
  return value === '' ? undefined : value;
}
