// The Python plug-in: everything the engine needs to know about Python is in this folder.
import type { LanguageSpec } from '../../analysis/language';
import { named } from '../../analysis/language';
import { rulesFor } from '../rules';
import { pythonBindings } from './bindings';
import { pythonNameFacts } from './nameFacts';
import { pythonAdapter } from './complexity';
import { pythonExecution } from './execution';
import { PythonFacts } from './facts';
import { FUNCTION_TYPES } from './syntax';
import { decodePythonSource, encodePythonSource } from './encoding';
import { pythonGrammarGaps } from './grammarGaps';

export const python: LanguageSpec = {
  id: 'python',
  folder: 'python',
  grammar: 'python',
  lspLanguageIds: ['python'],
  extensions: ['.py', '.pyi'],
  decodeSource: decodePythonSource,
  encodeSource: encodePythonSource,
  lineComment: '#',
  functionTypes: [...FUNCTION_TYPES],
  unitMembers(node) {
    let cls = node;
    if (cls.type === 'decorated_definition') cls = cls.childForFieldName('definition') ?? cls;
    if (cls.type !== 'class_definition') return null;
    const body = cls.childForFieldName('body');
    return body ? named(body) : [];
  },
  bindings: pythonBindings,
  nameFacts: pythonNameFacts,
  rules: rulesFor('python'),
  complexity: pythonAdapter,
  execution: pythonExecution,
  facts: (ctx) => new PythonFacts(ctx, pythonAdapter),
  grammarGaps: pythonGrammarGaps,
};
