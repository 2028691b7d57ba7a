// Every JavaScript/TypeScript rule, one file each. Add a rule: write its file and list it here.
import type { Rule } from '../../../analysis/rule';
import { complexityRules } from '../../../complexity/rules';
import { accumulatingSpread } from './accumulatingSpread';
import { arrayScanInLoop } from './arrayScanInLoop';
import { asyncForEach } from './asyncForEach';
import { awaitInLoop } from './awaitInLoop';
import { collectionToArrayLookup } from './collectionToArrayLookup';
import { concatInLoop } from './concatInLoop';
import { deleteInLoop } from './deleteInLoop';
import { invariantCollectionInLoop } from './invariantCollectionInLoop';
import { invariantWorkInLoop } from './invariantWorkInLoop';
import { nestedLoopJoin } from './nestedLoopJoin';
import { shiftInLoop } from './shiftInLoop';
import { sortInLoop } from './sortInLoop';

export const ecmascriptRules: Rule[] = [
  arrayScanInLoop,
  accumulatingSpread,
  shiftInLoop,
  awaitInLoop,
  asyncForEach,
  deleteInLoop,
  concatInLoop,
  sortInLoop,
  invariantCollectionInLoop,
  invariantWorkInLoop,
  nestedLoopJoin,
  collectionToArrayLookup,
  ...complexityRules,
];
