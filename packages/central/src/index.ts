export type { Migration, MigrationReport } from './store/migrate.ts';
export { appliedVersions, dialectSql, migrate, migrations } from './store/migrate.ts';
export type { Dialect, SqlValue, Store, StoreOptions } from './store/store.ts';
export { openStore } from './store/store.ts';
