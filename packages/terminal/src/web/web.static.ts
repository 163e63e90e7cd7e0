/**
 * The staff page's files: `static/` served as they are (plain ES modules, CSS, HTML; no build
 * step), @onshi/web's shared browser modules at `/shared/…` (dom.js), and core's validators for the
 * browser. The page validates 保険者番号 as the user types with the very functions the server uses:
 * `packages/core/src/validators.ts` and the `errors.ts` it imports, with their TypeScript types
 * stripped, served at `/core/validators.ts` and `/core/errors.ts` (@onshi/web `loadStaticFiles`).
 */
import { fileURLToPath } from 'node:url';
import { loadStaticFiles, type StaticFile } from '@onshi/web';

const staticDir = fileURLToPath(new URL('./static/', import.meta.url));

/** URL path → file, read once at start. Only these paths exist: nothing else is looked up on disk. */
export function terminalStaticFiles(): Map<string, StaticFile> {
  return loadStaticFiles(staticDir, ['validators.ts', 'errors.ts']);
}
