/** A numbered, forward-only schema change. `{id}` in a statement is the engine's primary-key type. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}
