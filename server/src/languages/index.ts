// The language registry: every language plug-in the engine serves, and lookups by id, LSP id and path.
import { extname } from 'node:path';
import type { Rule } from '../analysis/rule';
import { javascript, tsx, typescript } from './ecmascript';
import type { LanguageId, LanguageSpec } from '../analysis/language';
import { python } from './python';
import { RULES } from './rules';

export type { LanguageId, LanguageSpec } from '../analysis/language';

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

/** Every rule once, in code order (the one registry: rules.ts). */
export function allRules(): Rule[] {
  return [...RULES];
}

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.code.toUpperCase() === code.toUpperCase());
}
