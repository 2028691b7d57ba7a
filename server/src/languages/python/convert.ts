// Conversions of a local list to another collection (set, deque) for quick fixes: only when the
// list is a local bound once, from a fresh list, and every use is one the new type supports with
// the same meaning.

import type { Replacement } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import { bindingsOf, type NameInfo, referencesIn } from './scope';
import { functionCall } from './syntax';

export interface LocalList {
  name: string;
  scope: SyntaxNode;
  /** The value bound: `[]`, `[a, b]`, `[e for …]` or `list(x)`. */
  value: SyntaxNode;
  /** Every other reference of the name in its scope (nested functions included). */
  uses: SyntaxNode[];
}

export function localList(info: NameInfo, name: string): LocalList | null {
  const b = info.binding;
  if (info.origin !== 'local' || !b || b.kind !== 'assign' || b.annotation || b.chained || !b.value || !info.scope) return null;
  if (b.site.child('left') !== b.node) return null;
  if ((bindingsOf(info.scope).get(name) ?? []).length !== 1) return null;
  const v = b.value;
  const call = functionCall(v);
  const ok = v.type === 'list' || v.type === 'list_comprehension' || (call?.name === 'list' && !call.hasKeywords && call.args.length <= 1 && call.args.every((a) => a.type !== 'list_splat'));
  if (!ok) return null;
  // any other binding of the same name in a nested scope would make references ambiguous
  const uses = referencesIn(info.scope, name).filter((r) => r !== b.node);
  return { name, scope: info.scope, value: v, uses };
}

/** Replacements that rebuild the bound value with `ctor` (`set`, `deque`). */
export function rebuildValue(value: SyntaxNode, ctor: 'set' | 'deque'): Replacement[] | null {
  if (value.type === 'list') {
    const items = value.namedChildren.filter((c) => c.type !== 'comment');
    if (ctor === 'set') {
      // unhashable literal elements would fail at run time
      if (items.some((c) => ['list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension'].includes(c.type))) return null;
      if (items.length === 0) return [{ startIndex: value.startIndex, endIndex: value.endIndex, newText: 'set()' }];
      return [
        { startIndex: value.startIndex, endIndex: value.startIndex + 1, newText: '{' },
        { startIndex: value.endIndex - 1, endIndex: value.endIndex, newText: '}' },
      ];
    }
    if (items.length === 0) return [{ startIndex: value.startIndex, endIndex: value.endIndex, newText: 'deque()' }];
    return [
      { startIndex: value.startIndex, endIndex: value.startIndex, newText: 'deque(' },
      { startIndex: value.endIndex, endIndex: value.endIndex, newText: ')' },
    ];
  }
  if (value.type === 'list_comprehension') {
    if (ctor === 'set') {
      return [
        { startIndex: value.startIndex, endIndex: value.startIndex + 1, newText: '{' },
        { startIndex: value.endIndex - 1, endIndex: value.endIndex, newText: '}' },
      ];
    }
    return [
      { startIndex: value.startIndex, endIndex: value.startIndex, newText: 'deque(' },
      { startIndex: value.endIndex, endIndex: value.endIndex, newText: ')' },
    ];
  }
  const fn = value.child('function')!;
  return [{ startIndex: fn.startIndex, endIndex: fn.endIndex, newText: ctor }];
}
