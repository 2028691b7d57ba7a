// Module-level facts that rules read across units: what each top-level name is bound to, and which
// names code after a given point mentions. Rules read other units only through these (never
// through the text outside their unit), so the engine can tell when a cached finding is stale.

export type ValueKind = 'list' | 'set' | 'dict' | 'tuple' | 'str' | 'number' | 'bool' | 'none' | 'function' | 'class' | 'deque' | 'map' | 'module' | 'unknown';

export interface ModuleSummary {
  /** Top-level names and the kind of value last bound to them (by import, assignment, def or class). */
  readonly bindings: ReadonlyMap<string, ValueKind>;
  /**
   * Whether a unit starting at or after `offset` mentions `name` as an identifier, or reaches names
   * dynamically (eval, exec, locals, vars, globals).
   */
  mentionedAfter(offset: number, name: string): boolean;
}

export const EMPTY_MODULE: ModuleSummary = { bindings: new Map(), mentionedAfter: () => false };

export function mergeBindings(parts: Iterable<ReadonlyMap<string, ValueKind>>): ModuleSummary {
  const bindings = new Map<string, ValueKind>();
  for (const part of parts) {
    for (const [name, kind] of part) {
      // A name bound to different kinds in different places is unknown, not the last one.
      const previous = bindings.get(name);
      bindings.set(name, previous === undefined || previous === kind ? kind : 'unknown');
    }
  }
  return { bindings, mentionedAfter: () => false };
}
