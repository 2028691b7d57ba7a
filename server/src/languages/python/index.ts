import type { LanguageSpec } from '../language';
import { named } from '../language';
import { pythonBindings } from './bindings';
import { pythonExecution } from './execution';
import { pythonRules } from './rules';

export const python: LanguageSpec = {
  id: 'python',
  grammar: 'python',
  lspLanguageIds: ['python'],
  extensions: ['.py', '.pyi'],
  lineComment: '#',
  functionTypes: ['function_definition', 'lambda'],
  unitMembers(node) {
    let cls = node;
    if (cls.type === 'decorated_definition') cls = cls.childForFieldName('definition') ?? cls;
    if (cls.type !== 'class_definition') return null;
    const body = cls.childForFieldName('body');
    return body ? named(body) : [];
  },
  bindings: pythonBindings,
  rules: pythonRules,
  execution: pythonExecution,
};
