/**
 * Files of a browser app, served as they are (plain ES modules, CSS, HTML; no build step), plus
 * this package's shared browser modules under `/shared/` and, on request, core modules with their
 * TypeScript types stripped (`module.stripTypeScriptTypes`) under `/core/` — so that the page
 * validates with the very functions the server uses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sharedDir = fileURLToPath(new URL('../static/', import.meta.url));
const coreDir = fileURLToPath(new URL('../../core/src/', import.meta.url));

export const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
}

function addDirectory(files: Map<string, StaticFile>, dir: string, prefix: string): void {
  for (const name of readdirSync(dir)) {
    const type = contentTypes[extname(name)];
    if (type === undefined) continue;
    files.set(`${prefix}${name}`, { type, body: readFileSync(join(dir, name)) });
  }
}

/**
 * URL path → file, read once at start: `dir`'s files under `/static/` (its `index.html` also at
 * `/`), the shared modules under `/shared/`, and the named core modules under `/core/`.
 */
export function loadStaticFiles(dir: string, coreModules: readonly string[] = []): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  addDirectory(files, dir, '/static/');
  addDirectory(files, sharedDir, '/shared/');
  const index = files.get('/static/index.html');
  if (index) files.set('/', index);
  for (const name of coreModules) {
    const source = readFileSync(join(coreDir, name), 'utf8');
    files.set(`/core/${name}`, {
      type: contentTypes['.js']!,
      body: Buffer.from(withoutWarning(() => stripTypeScriptTypes(source))),
    });
  }
  return files;
}

/** stripTypeScriptTypes is experimental in Node 24 and says so once; our logs do not need it. */
function withoutWarning<T>(fn: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.includes('stripTypeScriptTypes')) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return fn();
  } finally {
    process.emitWarning = emit;
  }
}
