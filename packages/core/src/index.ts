export * from './codes.ts';
export * from './dates.ts';
export * from './domain.ts';
export * from './errors.ts';
export type * from './messages/types.ts';
export * from './validators.ts';
