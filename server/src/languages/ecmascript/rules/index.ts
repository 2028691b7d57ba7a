// Every JavaScript/TypeScript rule, one file each. Add a rule: write its file and list it here.
import type { Rule } from '../../../analysis/rule';
import { accumulatingSpread } from './accumulatingSpread';
import { arrayScanInLoop } from './arrayScanInLoop';
import { asyncForEach } from './asyncForEach';
import { awaitInLoop } from './awaitInLoop';
import { concatInLoop } from './concatInLoop';
import { deleteInLoop } from './deleteInLoop';
import { shiftInLoop } from './shiftInLoop';

export const ecmascriptRules: Rule[] = [arrayScanInLoop, accumulatingSpread, shiftInLoop, awaitInLoop, asyncForEach, deleteInLoop, concatInLoop];
