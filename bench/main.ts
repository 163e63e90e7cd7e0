/**
 * `npm run bench -- <name> [options]`: runs one benchmark. Every benchmark measures its own
 * baseline in the same run and prints ratios against it; results go to docs/benchmarks.md by hand,
 * with the command that produced them.
 */
const benches: Record<string, () => Promise<{ main(argv: string[]): Promise<void> }>> = {
  codec: () => import('./codec.bench.ts'),
  http: () => import('./http.bench.ts'),
  batch: () => import('./batch.bench.ts'),
  burst: () => import('./burst.bench.ts'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`);
  process.exit(2);
}
await (await load()).main(rest);
