/**
 * Request files for the burst benchmark: one OQSsiquc01req document per card query sampled from
 * the seeded store (bench/http/bodies.ts builds the XML), every `shiftJisEvery`-th re-encoded in
 * Shift_JIS as some レセコン write them. The file name's suffix is the request's index, and so is
 * its ArbitraryFileIdentifier (`bench<index>`), so a result can be matched to its request.
 */
import { openStore, sampleCardQueries } from '@onshi/central';
import { decodeMessage, encodeMessage, qualificationConfirmRequestSchema } from '@onshi/core';
import { benchInstitutionCode, requestXml } from '../http/bodies.ts';

export interface BurstRequest {
  readonly index: number;
  readonly name: string;
  readonly resultName: string;
  readonly bytes: Uint8Array;
  readonly encoding: 'utf-8' | 'shift_jis';
}

export const requestName = (index: number) => `OQSsiquc01req_${String(index).padStart(8, '0')}.xml`;

export async function burstRequests(
  storeUrl: string,
  count: number,
  options: { seed: number; on: string; shiftJisEvery: number },
): Promise<BurstRequest[]> {
  const store = openStore(storeUrl);
  let queries: Awaited<ReturnType<typeof sampleCardQueries>>;
  try {
    queries = await sampleCardQueries(store, count, options.seed);
  } finally {
    await store.close();
  }
  if (queries.length < count) throw new Error(`the store gave ${queries.length} card queries, not ${count}`);
  const code = benchInstitutionCode();
  return queries.map((query, index) => {
    const utf8 = new TextEncoder().encode(requestXml(query, options.on, code, index));
    const sjis = options.shiftJisEvery > 0 && index % options.shiftJisEvery === options.shiftJisEvery - 1;
    const bytes = sjis
      ? encodeMessage(
          decodeMessage(utf8, qualificationConfirmRequestSchema),
          qualificationConfirmRequestSchema,
          {
            encoding: 'shift_jis',
          },
        )
      : utf8;
    const name = requestName(index);
    return {
      index,
      name,
      resultName: name.replace('req', 'res'),
      bytes,
      encoding: sjis ? 'shift_jis' : 'utf-8',
    };
  });
}
