import { extname } from 'node:path';
import type { Rule } from '../analysis/rule';
import { javascript, tsx, typescript } from './ecmascript';
import type { LanguageId, LanguageSpec } from './language';
import { python } from './python';

export type { LanguageId, LanguageSpec } from './language';

export const LANGUAGES: readonly LanguageSpec[] = [python, javascript, typescript, tsx];

export function languageById(id: LanguageId): LanguageSpec {
  return LANGUAGES.find((l) => l.id === id)!;
}

export function languageForLspId(lspLanguageId: string): LanguageSpec | undefined {
  return LANGUAGES.find((l) => l.lspLanguageIds.includes(lspLanguageId));
}

export function languageForPath(path: string): LanguageSpec | undefined {
  const ext = extname(path).toLowerCase();
  return LANGUAGES.find((l) => l.extensions.includes(ext));
}

/** Every rule once (the ECMAScript rules are shared by three specs). */
export function allRules(): Rule[] {
  const seen = new Map<string, Rule>();
  for (const l of LANGUAGES) for (const r of l.rules) seen.set(r.code, r);
  return [...seen.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export function ruleByCode(code: string): Rule | undefined {
  return allRules().find((r) => r.code.toUpperCase() === code.toUpperCase());
}
