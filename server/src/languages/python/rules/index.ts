// Every Python rule, one file each. Add a rule: write its file and list it here.
import type { Rule } from '../../../analysis/rule';
import { listMembershipInLoop } from './listMembershipInLoop';

export const pythonRules: Rule[] = [listMembershipInLoop];
