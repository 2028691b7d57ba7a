// Every JavaScript/TypeScript rule, one file each. Add a rule: write its file and list it here.
import type { Rule } from '../../../analysis/rule';
import { arrayScanInLoop } from './arrayScanInLoop';

export const ecmascriptRules: Rule[] = [arrayScanInLoop];
