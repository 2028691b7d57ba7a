// Every JavaScript/TypeScript rule, one file each. Add a rule: write its file and list it here.
import type { Rule } from '../../../analysis/rule';
import { accumulatingSpread } from './accumulatingSpread';
import { arrayScanInLoop } from './arrayScanInLoop';

export const ecmascriptRules: Rule[] = [arrayScanInLoop, accumulatingSpread];
