/**
 * Exact-path routing: one map lookup per request. Unknown paths answer HTTP_NOT_FOUND; a known
 * path with another method answers HTTP_METHOD_NOT_ALLOWED with an Allow header.
 */
import { OnshiError } from '@onshi/core';
import type { Route } from './types.ts';

export interface Router {
  /** The route for a request, or an OnshiError explaining why there is none. */
  match(method: string, path: string): Route;
  readonly routes: readonly Route[];
}

export function createRouter(routes: readonly Route[]): Router {
  const byPath = new Map<string, Map<string, Route>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Map<string, Route>();
    if (methods.has(route.method)) throw new Error(`duplicate route ${route.method} ${route.path}`);
    methods.set(route.method, route);
    byPath.set(route.path, methods);
  }
  return {
    routes,
    match(method, path) {
      const methods = byPath.get(path);
      if (!methods) throw new OnshiError('HTTP_NOT_FOUND', { path });
      const route = methods.get(method);
      if (!route) {
        throw new OnshiError('HTTP_METHOD_NOT_ALLOWED', { method, allow: [...methods.keys()].join(', ') });
      }
      return route;
    },
  };
}
