export * from './codes.ts';
export * from './dates.ts';
export * from './domain.ts';
export * from './errors.ts';
export type * from './messages/types.ts';
export * from './rules/copay.ts';
export * from './rules/limit.ts';
export * from './rules/validity.ts';
export * from './validators.ts';
