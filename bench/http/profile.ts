/**
 * Summary of a V8 `.cpuprofile` (written by `node --cpu-prof`): the functions with the most self
 * time, as a share of all samples, and the share spent in each top-level area (store, XML, HTTP …)
 * by source path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}

export interface HotFunction {
  readonly name: string;
  readonly where: string;
  readonly share: number;
}

function shortUrl(url: string): string {
  const i = url.indexOf('/packages/');
  if (i >= 0) return url.slice(i + 1);
  const n = url.lastIndexOf('node_modules/');
  return n >= 0 ? url.slice(n) : url.replace(/^file:\/\//, '');
}

export function hotFunctions(file: string, top = 15): HotFunction[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const self = new Map<string, { name: string; where: string; hits: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === '' ? '(native)' : `${shortUrl(url)}:${lineNumber + 1}`;
    const key = `${functionName}@${where}`;
    const entry = self.get(key) ?? { name: functionName || '(anonymous)', where, hits: 0 };
    entry.hits += hits;
    self.set(key, entry);
  }
  return [...self.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, share: e.hits / total }));
}

/** The newest `.cpuprofile` in `dir`. */
export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  return files.length > 0 ? join(dir, files.at(-1)!) : undefined;
}

export function formatHotFunctions(list: readonly HotFunction[]): string {
  return list.map((f) => `  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`).join('\n');
}
