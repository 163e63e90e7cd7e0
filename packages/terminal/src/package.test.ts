/**
 * package.json lists what the terminal's code imports: a workspace package imported outside tests
 * is a dependency, one imported only by tests (@onshi/central, for the worlds tests start) is a
 * devDependency — an install of the terminal alone does not pull in the central service.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

function imports(test: boolean): Set<string> {
  const found = new Set<string>();
  for (const file of readdirSync(join(root, 'src'), { recursive: true }) as string[]) {
    if (!file.endsWith('.ts') || file.split('/').includes('static')) continue;
    const isTest = /\.test\.ts$/.test(file) || file.startsWith('test/');
    if (isTest !== test) continue;
    for (const match of readFileSync(join(root, 'src', file), 'utf8').matchAll(/from '(@onshi\/[a-z]+)/g))
      found.add(match[1]!);
  }
  return found;
}

it('lists workspace packages used at run time as dependencies, test-only ones as devDependencies', () => {
  const runtime = imports(false);
  const dependencies = Object.keys(pkg.dependencies ?? {}).filter((n) => n.startsWith('@onshi/'));
  assert.deepEqual(dependencies.sort(), [...runtime].sort());
  for (const name of imports(true)) {
    if (!runtime.has(name)) assert.ok(pkg.devDependencies?.[name], `${name} is a devDependency`);
  }
});
