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

/**
 * The execution language of an LSP language id, a language id or a file name: TSX runs as
 * TypeScript (its grammar follows the file name).
 */
export function execLanguage(idOrPath: string): 'python' | 'javascript' | 'typescript' | undefined {
  const spec = languageForLspId(idOrPath) ?? LANGUAGES.find((l) => l.id === idOrPath) ?? languageForPath(idOrPath);
  if (!spec) return undefined;
  return spec.id === 'tsx' ? 'typescript' : spec.id;
}

/** Every rule once, in code order (the one registry: rules.ts). */
export function allRules(): Rule[] {
  return [...RULES];
}

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.code.toUpperCase() === code.toUpperCase());
}
