// JavaScript, TypeScript and TSX share one set of rules: their grammars name the same nodes.
import type { RawNode } from '../../parsing';
import type { LanguageId, LanguageSpec } from '../../analysis/language';
import { named } from '../../analysis/language';
import { rulesFor } from '../rules';
import { ecmascriptBindings } from './bindings';
import { ecmascriptAdapter } from './complexity';
import { ecmascriptExecution } from './execution';
import { EcmascriptFacts } from './facts';
import { ecmascriptNameFacts } from './moduleConstants';
import { FUNCTION_TYPES } from './syntax';
import { ecmascriptGrammarGaps } from './grammarGaps';

const CLASS_TYPES = new Set(['class_declaration', 'abstract_class_declaration', 'class']);

function unitMembers(node: RawNode): RawNode[] | null {
  let cls: RawNode | null = node;
  if (cls.type === 'export_statement') cls = cls.childForFieldName('declaration');
  if (!cls || !CLASS_TYPES.has(cls.type)) return null;
  const body = cls.childForFieldName('body');
  return body ? named(body) : [];
}

function spec(id: LanguageId, lspLanguageIds: string[], extensions: string[]): LanguageSpec {
  return {
    id,
    folder: 'ecmascript',
    grammar: id,
    lspLanguageIds,
    extensions,
    lineComment: '//',
    functionTypes: [...FUNCTION_TYPES],
    unitMembers,
    bindings: ecmascriptBindings,
    nameFacts: ecmascriptNameFacts,
    rules: rulesFor(id),
    complexity: ecmascriptAdapter,
    execution: ecmascriptExecution(id),
    facts: (ctx) => new EcmascriptFacts(ctx, ecmascriptAdapter),
    grammarGaps: ecmascriptGrammarGaps(id !== 'javascript'),
  };
}

export const javascript = spec('javascript', ['javascript', 'javascriptreact'], ['.js', '.mjs', '.cjs', '.jsx']);
export const typescript = spec('typescript', ['typescript'], ['.ts', '.mts', '.cts']);
export const tsx = spec('tsx', ['typescriptreact'], ['.tsx']);
