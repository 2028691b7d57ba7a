// The one rule registry (like Ruff's codes.rs): every rule of every language, in code order.
// Add a rule: write languages/<folder>/rules/<ruleName>.ts (the file is named after the rule's
// kebab-case name, in camelCase; rules.test.ts checks it) and list it here. Each language spec takes
// its rules from here by `rule.languages`; the complexity rules (HP3xx) serve every language.
import type { LanguageId, Rule } from '../analysis/rule';
import { exponentialRecursion } from '../complexity/rules/exponentialRecursion';
import { quadraticFunction } from '../complexity/rules/quadraticFunction';
import { accumulatingSpread } from './ecmascript/rules/accumulatingSpread';
import { arrayScanInLoop } from './ecmascript/rules/arrayScanInLoop';
import { arrayShiftInLoop } from './ecmascript/rules/arrayShiftInLoop';
import { asyncForeach } from './ecmascript/rules/asyncForeach';
import { awaitInLoop } from './ecmascript/rules/awaitInLoop';
import { concatInLoop } from './ecmascript/rules/concatInLoop';
import { deleteInLoop } from './ecmascript/rules/deleteInLoop';
import { invariantCollectionInLoop } from './ecmascript/rules/invariantCollectionInLoop';
import { invariantWorkInLoop } from './ecmascript/rules/invariantWorkInLoop';
import { nestedLoopJoin } from './ecmascript/rules/nestedLoopJoin';
import { setCopiedForLookup } from './ecmascript/rules/setCopiedForLookup';
import { sortInLoop } from './ecmascript/rules/sortInLoop';
import { dictItemsHalfUnused } from './python/rules/dictItemsHalfUnused';
import { invariantParseInLoop } from './python/rules/invariantParseInLoop';
import { invariantRebuildInLoop } from './python/rules/invariantRebuildInLoop';
import { listMembershipInLoop } from './python/rules/listMembershipInLoop';
import { listPopFrontInLoop } from './python/rules/listPopFrontInLoop';
import { listResortInLoop } from './python/rules/listResortInLoop';
import { listScanMethodInLoop } from './python/rules/listScanMethodInLoop';
import { manualDictComprehension } from './python/rules/manualDictComprehension';
import { manualListComprehension } from './python/rules/manualListComprehension';
import { manualListCopy } from './python/rules/manualListCopy';
import { nestedLoopKeyMatch } from './python/rules/nestedLoopKeyMatch';
import { quadraticListConcat } from './python/rules/quadraticListConcat';
import { quadraticSumOfLists } from './python/rules/quadraticSumOfLists';
import { queueResliceInLoop } from './python/rules/queueResliceInLoop';
import { stringConcatInLoop } from './python/rules/stringConcatInLoop';
import { tryExceptInLoop } from './python/rules/tryExceptInLoop';
import { unnecessaryListCast } from './python/rules/unnecessaryListCast';

export const RULES: readonly Rule[] = [
  listMembershipInLoop, // HP101
  listPopFrontInLoop, // HP102
  stringConcatInLoop, // HP103
  listScanMethodInLoop, // HP104
  unnecessaryListCast, // HP105
  dictItemsHalfUnused, // HP106
  tryExceptInLoop, // HP107
  manualListComprehension, // HP108
  manualListCopy, // HP109
  manualDictComprehension, // HP110
  quadraticListConcat, // HP111
  queueResliceInLoop, // HP112
  invariantRebuildInLoop, // HP113
  invariantParseInLoop, // HP114
  nestedLoopKeyMatch, // HP115
  quadraticSumOfLists, // HP116
  listResortInLoop, // HP117
  arrayScanInLoop, // HP201
  accumulatingSpread, // HP202
  arrayShiftInLoop, // HP203
  awaitInLoop, // HP204
  asyncForeach, // HP205
  deleteInLoop, // HP206
  concatInLoop, // HP207
  sortInLoop, // HP208
  invariantCollectionInLoop, // HP209
  invariantWorkInLoop, // HP210
  nestedLoopJoin, // HP211
  setCopiedForLookup, // HP212
  quadraticFunction, // HP301
  exponentialRecursion, // HP302
];

/** The rules that run on one language. */
export function rulesFor(language: LanguageId): Rule[] {
  return RULES.filter((r) => r.languages.includes(language));
}
