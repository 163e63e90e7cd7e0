/**
 * The staff page's files: `static/` served as they are (plain ES modules, CSS, HTML; no build
 * step), and core's validators for the browser. The page validates 保険者番号 as the user types
 * with the very functions the server uses: `packages/core/src/validators.ts` and the
 * `errors.ts` it imports, with their TypeScript types stripped (`module.stripTypeScriptTypes`),
 * served at `/core/validators.ts` and `/core/errors.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const staticDir = fileURLToPath(new URL('./static/', import.meta.url));
const coreDir = fileURLToPath(new URL('../../../core/src/', import.meta.url));

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
}

/** URL path → file, read once at start. Only these paths exist: nothing else is looked up on disk. */
export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(staticDir)) {
    const type = types[extname(name)];
    if (type === undefined) continue;
    files.set(`/static/${name}`, { type, body: readFileSync(join(staticDir, name)) });
  }
  const index = files.get('/static/index.html');
  if (index) files.set('/', index);
  for (const name of ['validators.ts', 'errors.ts']) {
    const source = readFileSync(join(coreDir, name), 'utf8');
    files.set(`/core/${name}`, {
      type: types['.js']!,
      body: Buffer.from(withoutWarning(() => stripTypeScriptTypes(source))),
    });
  }
  return files;
}

/** stripTypeScriptTypes is experimental in Node 24 and says so once; the terminal's log does not need it. */
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
