/**
 * Message schemas: a tree of element definitions that drives the XML reader and writer and the
 * JSON mirror. A schema is data — a new message is a new tree built with `text()` and `group()`,
 * with no code of its own.
 *
 * ```ts
 * const request = defineMessage<QualificationConfirmRequest>()('OQS-IF-001', 'QualificationConfirmRequest', {
 *   MessageHeader: group({ MedicalInstitutionCode: text({ required: true }), … }, { required: true }),
 *   …
 * });
 * ```
 *
 * `defineMessage` checks at compile time that the tree and the TypeScript type describe the same
 * shape (same names, same required/optional, arrays exactly where elements repeat).
 */
import { OnshiError } from '../errors.ts';

export interface Occurs {
  /** The element must be present (and, for text, non-empty). Default false. */
  readonly required?: boolean;
  /** The element may appear several times; it becomes an array. Default false. */
  readonly repeated?: boolean;
}

/** A leaf element: its value is its text, kept exactly (no trimming). */
export interface TextDef<O extends Occurs = Occurs> {
  readonly kind: 'text';
  readonly occurs: O;
}

/** An element made of child elements, each appearing in any order. */
export interface GroupDef<C extends Children = Children, O extends Occurs = Occurs> {
  readonly kind: 'group';
  readonly occurs: O;
  readonly children: C;
}

export type ElementDef = TextDef | GroupDef;
export type Children = { readonly [name: string]: ElementDef };

export function text<const O extends Occurs = { required?: false; repeated?: false }>(
  occurs?: O,
): TextDef<O> {
  return { kind: 'text', occurs: occurs ?? ({} as O) };
}

export function group<
  const C extends Children,
  const O extends Occurs = { required?: false; repeated?: false },
>(children: C, occurs?: O): GroupDef<C, O> {
  return { kind: 'group', children, occurs: occurs ?? ({} as O) };
}

// ---------------------------------------------------------------- compiled form

export const TEXT = 0;
export const GROUP = 1;

/** One element of a compiled schema, with what the reader and writer need precomputed. */
export interface SchemaNode {
  readonly name: string;
  /** `'</' + name`, for the reader's end-tag check. */
  readonly endTag: string;
  /** `name + '>'`, for the reader's check of a predicted start tag. */
  readonly startTag: string;
  /**
   * The reader's guess of the next child: `next[i + 1]` is 1 + the index of the child that last
   * followed child `i` (`next[0]`: the first child), 0 for no guess. Documents from one producer
   * keep one order, so the guess is usually right and saves a search; a wrong guess only costs
   * the check. The only mutable part of a schema, and it never changes a result.
   */
  readonly next: Uint8Array;
  /** `<name>` and `</name>` as bytes, for the writer (names are ASCII). */
  readonly openBytes: Uint8Array;
  readonly closeBytes: Uint8Array;
  readonly kind: typeof TEXT | typeof GROUP;
  readonly required: boolean;
  readonly repeated: boolean;
  /** Children in schema (= writing) order. Empty for text. */
  readonly children: readonly SchemaNode[];
  readonly byName: ReadonlyMap<string, SchemaNode>;
  readonly requiredChildren: readonly SchemaNode[];
  /** Position among the parent's children. */
  readonly index: number;
  /**
   * Open-addressing table of the children by `nameKey`, so that the reader finds a child from
   * the characters of the document without slicing a string. Size is a power of two.
   */
  readonly slots: readonly (SchemaNode | undefined)[];
}

/**
 * The slot key of a name of `length` characters at `start`: from its length, middle and last
 * characters, so that it costs three reads whatever the name's length.
 */
export function nameKey(s: string, start: number, length: number): number {
  return length * 961 + s.charCodeAt(start + (length >> 1)) * 31 + s.charCodeAt(start + length - 1);
}

function slotTable(children: readonly SchemaNode[]): (SchemaNode | undefined)[] {
  let size = 4;
  while (size < children.length * 4) size *= 2;
  const slots = new Array<SchemaNode | undefined>(size).fill(undefined);
  for (const child of children) {
    let i = nameKey(child.name, 0, child.name.length) & (size - 1);
    while (slots[i] !== undefined) i = (i + 1) & (size - 1);
    slots[i] = child;
  }
  return slots;
}

/** A message schema; `T` is the message type the codec returns and accepts. */
export interface MessageSchema<T> {
  /** Interface id, e.g. 'OQS-IF-001'. */
  readonly id: string;
  /** Message name, e.g. 'QualificationConfirmRequest'. */
  readonly name: string;
  /** The root element (`XmlMsg`); its children are the message's top-level properties. */
  readonly root: SchemaNode;
  /** Phantom: carries the message type. Never set. */
  readonly messageType?: T;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function compile(name: string, def: ElementDef, index: number): SchemaNode {
  if (RESERVED_NAMES.has(name) || !/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new OnshiError('CONFIG_INVALID', {
      name: `schema element ${name}`,
      detail: 'not a usable XML name',
    });
  }
  const children =
    def.kind === 'group' ? Object.entries(def.children).map(([n, d], i) => compile(n, d, i)) : [];
  return {
    name,
    endTag: `</${name}`,
    startTag: `${name}>`,
    next: new Uint8Array(children.length + 1),
    openBytes: ascii(`<${name}>`),
    closeBytes: ascii(`</${name}>`),
    kind: def.kind === 'group' ? GROUP : TEXT,
    required: def.occurs.required === true,
    repeated: def.occurs.repeated === true,
    children,
    byName: new Map(children.map((c) => [c.name, c])),
    requiredChildren: children.filter((c) => c.required),
    index,
    slots: slotTable(children),
  };
}

/**
 * Defines a message schema whose root is `XmlMsg` (required) with the given children.
 * Curried so that `T` is given explicitly while the tree's literal type is inferred; the trailing
 * rest parameter turns a shape mismatch into a compile error showing the inferred type.
 */
export function defineMessage<T>() {
  return <const C extends Children>(
    id: string,
    name: string,
    children: C,
    ...shapeCheck: Same<InferChildren<C>, T> extends true
      ? []
      : [error: 'schema and message type differ', inferred: InferChildren<C>]
  ): MessageSchema<T> => {
    void shapeCheck;
    return { id, name, root: compile('XmlMsg', group(children, { required: true }), 0) };
  };
}

// ---------------------------------------------------------------- type-level inference

type IsTrue<B> = B extends true ? true : false;
type Wrap<V, O extends Occurs> = IsTrue<O['repeated']> extends true ? V[] : V;

/** The TypeScript value type an element definition describes. */
export type InferElement<D> =
  D extends TextDef<infer O>
    ? Wrap<string, O>
    : D extends GroupDef<infer C, infer O>
      ? Wrap<InferChildren<C>, O>
      : never;

type RequiredKeys<C> = {
  [K in keyof C]: C[K] extends { occurs: { required: true } } ? K : never;
}[keyof C];

/** The object type a set of child definitions describes. */
export type InferChildren<C> = Flatten<
  { [K in RequiredKeys<C>]: InferElement<C[K]> } & {
    [K in Exclude<keyof C, RequiredKeys<C>>]?: InferElement<C[K]>;
  }
>;

type Flatten<T> = { [K in keyof T]: T[K] };

/** Deeply rebuilds a type as plain mapped objects so that interfaces and inferred types compare. */
type Normalize<T> = T extends string
  ? T
  : T extends readonly (infer E)[]
    ? Normalize<E>[]
    : T extends object
      ? { [K in keyof T]: Normalize<T[K]> }
      : T;

/** True when A and B are the same type (optional modifiers and arrays included). */
export type Same<A, B> =
  (<G>() => G extends Normalize<A> ? 1 : 2) extends <G>() => G extends Normalize<B> ? 1 : 2 ? true : false;
