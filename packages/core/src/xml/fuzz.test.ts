/**
 * Mutation fuzzing with a seeded PRNG: every mutated document must either parse into a message
 * that survives a write/read round trip, or fail with an OnshiError — never another exception.
 * A failure prints the seed and iteration, so it can be replayed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOnshiError } from '../errors.ts';
import { sampleConfirmRequest, sampleFaceResultXml } from '../messages/samples.ts';
import { qualificationConfirmRequestSchema, qualificationConfirmResultSchema } from '../messages/schemas.ts';
import { decodeMessage, encodeMessage, messageToXml } from './codec.ts';
import { encodeCp932 } from './cp932.ts';
import type { MessageSchema } from './schema.ts';

/** mulberry32: small, fast, good enough to drive mutations reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '&#x1F600;',
  '&lt',
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '<?',
  '?>',
  '<!DOCTYPE x>',
  '<!ENTITY e "e">',
  '</',
  '/>',
  '"',
  "'",
  '=',
  ' a="1"',
  '<Name>',
  '</Name>',
  '<Birthdate>19600115</Birthdate>',
  '<Unknown>',
  '\u0000',
  '\r\n',
  '\uFEFF',
  '\uD800',
  '診',
  'ｼ',
  '<?xml version="1.0"?>',
  'encoding="EUC-JP"',
];

type Mutator = (bytes: Uint8Array, random: () => number) => Uint8Array;

const at = (bytes: Uint8Array, random: () => number) => Math.floor(random() * (bytes.length + 1));
const utf8 = (text: string) => new TextEncoder().encode(text);

const mutators: Mutator[] = [
  (b, r) => {
    const copy = Uint8Array.from(b);
    copy[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    return copy;
  },
  (b, r) => {
    const i = at(b, r);
    const snippet = utf8(SNIPPETS[Math.floor(r() * SNIPPETS.length)] ?? '<');
    return Uint8Array.from([...b.subarray(0, i), ...snippet, ...b.subarray(i)]);
  },
  (b, r) => {
    const i = at(b, r);
    return Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + 1 + Math.floor(r() * 40))]);
  },
  (b, r) => {
    const i = at(b, r);
    const j = Math.min(b.length, i + Math.floor(r() * 200));
    return Uint8Array.from([...b.subarray(0, j), ...b.subarray(i, j), ...b.subarray(j)]);
  },
  (b, r) => b.subarray(0, at(b, r)),
];

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  let out = bytes;
  const rounds = 1 + Math.floor(random() * 3);
  for (let i = 0; i < rounds; i++)
    out = (mutators[Math.floor(random() * mutators.length)] as Mutator)(out, random);
  return out;
}

/** Decodes; on success checks the message survives encode → decode (in UTF-8). */
function check<T>(input: Uint8Array | string, schema: MessageSchema<T>): 'parsed' | string {
  let message: T;
  try {
    message = decodeMessage(input, schema);
  } catch (error) {
    if (isOnshiError(error)) return error.code;
    throw error;
  }
  const header = (message as { MessageHeader: { CharacterCodeIdentifier?: string } }).MessageHeader;
  if (header.CharacterCodeIdentifier !== undefined) header.CharacterCodeIdentifier = '0';
  assert.deepEqual(decodeMessage(encodeMessage(message, schema, { encoding: 'utf-8' }), schema), message);
  return 'parsed';
}

function fuzz<T>(
  name: string,
  seed: number,
  bytes: Uint8Array,
  schema: MessageSchema<T>,
  iterations: number,
) {
  it(`${name} (seed ${seed})`, () => {
    const random = prng(seed);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < iterations; i++) {
      const mutated = mutate(bytes, random);
      let outcome: string;
      try {
        outcome = check(mutated, schema);
        if (random() < 0.2) check(new TextDecoder().decode(mutated), schema);
      } catch (error) {
        assert.fail(
          `seed ${seed} iteration ${i}: ${String(error)}\n${Buffer.from(mutated).toString('base64')}`,
        );
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The mutations must reach both sides: some documents still parse, several error codes occur.
    assert.ok((outcomes.get('parsed') ?? 0) > 0, JSON.stringify([...outcomes]));
    assert.ok(outcomes.size >= 4, JSON.stringify([...outcomes]));
  });
}

describe('fuzzing the reader', () => {
  const request = encodeMessage(sampleConfirmRequest, qualificationConfirmRequestSchema, {
    encoding: 'utf-8',
  });
  const sjisXml = messageToXml(sampleConfirmRequest, qualificationConfirmRequestSchema, {
    encoding: 'shift_jis',
  });
  fuzz('OQS-IF-001 in UTF-8', 1, request, qualificationConfirmRequestSchema, 3000);
  fuzz('OQS-IF-001 in Shift_JIS', 2, encodeCp932(sjisXml), qualificationConfirmRequestSchema, 3000);
  fuzz('OQS-IF-002 face file', 3, utf8(sampleFaceResultXml), qualificationConfirmResultSchema, 2000);
});
