/**
 * Summary of a V8 `.cpuprofile` (written by `node --cpu-prof`): the functions with the most self
 * time, as a share of all samples, and the share spent in each area (store, XML, HTTP …) by source
 * path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
  readonly children?: number[];
}

function readProfile(file: string): ProfileNode[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] }).nodes;
}

/** The area of a source URL: `central/src/store`, `node_modules/pg`, `node:_http_server` … */
function areaOf(url: string): string | undefined {
  const own = /packages\/([^/]+\/src\/[^/.]+)/.exec(url);
  if (own) return own[1];
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return `node_modules/${url.slice(i + 13).split('/')[0]}`;
  return url.startsWith('node:') ? url.split('/')[0] : undefined;
}

/**
 * Self time by area: each sample goes to the nearest frame (itself or a caller) with a known
 * source area; native frames (writev, the SQLite engine …) are named after the function.
 */
export function areaShares(file: string, top = 12): { area: string; share: number }[] {
  const nodes = readProfile(file);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  let total = 0;
  for (const n of nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    let area: string | undefined;
    for (let id: number | undefined = n.id; id !== undefined && area === undefined; id = parent.get(id)) {
      area = areaOf(byId.get(id)!.callFrame.url);
    }
    const native = n.callFrame.url === '' ? ` [native ${n.callFrame.functionName}]` : '';
    const key = `${area ?? '(root)'}${native}`;
    totals.set(key, (totals.get(key) ?? 0) + hits);
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([area, hits]) => ({ area, share: hits / total }));
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
  const self = new Map<string, { name: string; where: string; hits: number }>();
  let total = 0;
  for (const node of readProfile(file)) {
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

/** Prints the newest profile in `dir`: the hottest functions and the share of each area. */
export function printProfile(label: string, dir: string): void {
  const profile = newestProfile(dir);
  if (profile === undefined) return;
  process.stdout.write(`\nserver self time, ${label} (${profile}):\n`);
  process.stdout.write(`${formatHotFunctions(hotFunctions(profile))}\nby area:\n`);
  const areas = areaShares(profile).map((a) => `  ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`);
  process.stdout.write(`${areas.join('\n')}\n`);
}
