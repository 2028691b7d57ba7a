// Every Python rule, one file each. Add a rule: write its file and list it here.
import type { Rule } from '../../../analysis/rule';
import { complexityRules } from '../../../complexity/rules';
import { listMembershipInLoop } from './listMembershipInLoop';
import { listPopFrontInLoop } from './listPopFrontInLoop';
import { stringConcatInLoop } from './stringConcatInLoop';
import { listScanMethodInLoop } from './listScanMethodInLoop';
import { unnecessaryListCast } from './unnecessaryListCast';
import { dictItemsHalfUnused } from './dictItemsHalfUnused';
import { tryExceptInLoop } from './tryExceptInLoop';
import { manualListComprehension } from './manualListComprehension';
import { manualListCopy } from './manualListCopy';
import { manualDictComprehension } from './manualDictComprehension';
import { quadraticListConcat } from './quadraticListConcat';
import { queueResliceInLoop } from './queueResliceInLoop';
import { invariantRebuildInLoop } from './invariantRebuildInLoop';
import { invariantParseInLoop } from './invariantParseInLoop';
import { nestedLoopJoin } from './nestedLoopJoin';
import { sumOfLists } from './sumOfLists';
import { sortInLoop } from './sortInLoop';

export const pythonRules: Rule[] = [listMembershipInLoop, listPopFrontInLoop, stringConcatInLoop, listScanMethodInLoop, unnecessaryListCast, dictItemsHalfUnused, tryExceptInLoop, manualListComprehension, manualListCopy, manualDictComprehension, quadraticListConcat, queueResliceInLoop, invariantRebuildInLoop, invariantParseInLoop, nestedLoopJoin, sumOfLists, sortInLoop, ...complexityRules];
