export type { Migration } from './store/migrate.ts';
