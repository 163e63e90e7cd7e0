/**
 * `npm run bench -- codec [--rounds 15] [--round-ms 200]`
 *
 * One run measures, on the same documents and in interleaved rounds (so that both sides see the
 * same machine load):
 *  - the baseline: fast-xml-parser 5 (defaults) parsing the text and building XML back;
 *  - our codec: decodeMessage from UTF-8 bytes, from a string and from Shift_JIS bytes, and
 *    encodeMessage to UTF-8 and to Shift_JIS.
 * Documents: a face-style OQS-IF-002 result (indented, elements in hash-like order) and an
 * OQS-IF-001 request. Prints the median µs/op over the rounds, ops/s, and the speed-up over the
 * baseline's parse (or build) of the same document; the best round shows what the code does when
 * the (shared) machine is least disturbed.
 */
import { parseArgs } from 'node:util';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import {
  decodeMessage,
  encodeMessage,
  type MessageSchema,
  messageToXml,
  qualificationConfirmRequestSchema,
  qualificationConfirmResultSchema,
} from '../packages/core/src/index.ts';
import {
  sampleConfirmRequest,
  sampleConfirmResult,
  sampleFaceResultXml,
} from '../packages/core/src/messages/samples.ts';

interface Case {
  readonly label: string;
  readonly run: () => unknown;
  /** Label of the baseline case this one is compared with. */
  readonly against?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `run` repeatedly for about `ms` milliseconds; returns µs per operation. */
function timeRound(run: () => unknown, ms: number): number {
  let operations = 0;
  const started = performance.now();
  let now = started;
  while (now - started < ms) {
    for (let i = 0; i < 100; i++) run();
    operations += 100;
    now = performance.now();
  }
  return ((now - started) * 1000) / operations;
}

function casesFor<T>(name: string, message: T, schema: MessageSchema<T>, text: string): Case[] {
  const utf8 = new TextEncoder().encode(text);
  const withSjisCode = (m: T): T => {
    const header = (m as { MessageHeader: { CharacterCodeIdentifier?: string } }).MessageHeader;
    return header.CharacterCodeIdentifier === undefined
      ? m
      : ({ ...m, MessageHeader: { ...header, CharacterCodeIdentifier: '1' } } as T);
  };
  const sjisMessage = withSjisCode(message);
  const sjis = encodeMessage(sjisMessage, schema, { encoding: 'shift_jis' });
  const parser = new XMLParser();
  const builder = new XMLBuilder();
  const parsed = parser.parse(text);
  const parse = `${name}: fast-xml-parser parse`;
  const build = `${name}: fast-xml-parser build`;
  return [
    { label: parse, run: () => parser.parse(text) },
    { label: build, run: () => builder.build(parsed) },
    { label: `${name}: decode UTF-8 bytes`, run: () => decodeMessage(utf8, schema), against: parse },
    { label: `${name}: decode string`, run: () => decodeMessage(text, schema), against: parse },
    { label: `${name}: decode Shift_JIS bytes`, run: () => decodeMessage(sjis, schema), against: parse },
    {
      label: `${name}: encode UTF-8`,
      run: () => encodeMessage(message, schema, { encoding: 'utf-8' }),
      against: build,
    },
    {
      label: `${name}: encode Shift_JIS`,
      run: () => encodeMessage(sjisMessage, schema, { encoding: 'shift_jis' }),
      against: build,
    },
  ];
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: 'string', default: '15' }, 'round-ms': { type: 'string', default: '200' } },
  });
  const rounds = Number(values.rounds);
  const roundMs = Number(values['round-ms']);
  const request = messageToXml(sampleConfirmRequest, qualificationConfirmRequestSchema, {
    encoding: 'utf-8',
  });
  const cases = [
    ...casesFor('OQS-IF-002', sampleConfirmResult, qualificationConfirmResultSchema, sampleFaceResultXml),
    ...casesFor('OQS-IF-001', sampleConfirmRequest, qualificationConfirmRequestSchema, request),
  ];
  const size = (text: string) => new TextEncoder().encode(text).length;
  process.stdout.write(
    `codec benchmark: OQS-IF-002 face-style result ${size(sampleFaceResultXml)} B, ` +
      `OQS-IF-001 request ${size(request)} B; ${rounds} interleaved rounds of ${roundMs} ms; ` +
      `node ${process.version}\n`,
  );
  for (const c of cases) timeRound(c.run, roundMs * 2); // warm-up: let the JIT settle
  const samples = new Map<string, number[]>(cases.map((c) => [c.label, []]));
  for (let r = 0; r < rounds; r++)
    for (const c of cases) samples.get(c.label)?.push(timeRound(c.run, roundMs));
  const medians = new Map([...samples].map(([label, list]) => [label, median(list)]));
  const bests = new Map([...samples].map(([label, list]) => [label, Math.min(...list)]));
  process.stdout.write(
    '\n| case | µs/op median | µs/op best round | ops/s (median) | speed-up vs baseline (median) |\n' +
      '|---|---:|---:|---:|---:|\n',
  );
  for (const c of cases) {
    const us = medians.get(c.label) ?? Number.NaN;
    const best = bests.get(c.label) ?? Number.NaN;
    const base = c.against === undefined ? undefined : medians.get(c.against);
    const ratio = base === undefined ? 'baseline' : `${(base / us).toFixed(1)}×`;
    const ops = Math.round(1e6 / us).toLocaleString('en');
    process.stdout.write(`| ${c.label} | ${us.toFixed(2)} | ${best.toFixed(2)} | ${ops} | ${ratio} |\n`);
  }
}
