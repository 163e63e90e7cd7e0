/** @onshi/web — what the browser-facing servers share (see packages/web/README.md). */
export {
  asObject,
  cookieValue,
  field,
  readBody,
  readJson,
  sameText,
  securityHeaders,
  sendError,
  sendJson,
  serverTimeouts,
  sessionCookie,
} from './http.ts';
export { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
export { type AppServerDeps, createAppServer } from './server.ts';
export { contentTypes, loadStaticFiles, type StaticFile } from './static.ts';
