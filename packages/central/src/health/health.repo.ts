/** The trivial query behind `GET /health`. */
import type { Store } from '../store/store.ts';

/** Resolves once the store has answered a query that touches no table. */
export async function pingStore(store: Store): Promise<void> {
  await store.get('select 1 as ok');
}
