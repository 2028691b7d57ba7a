// The complexity rules (HP3xx), listed by both languages' rule lists.
import type { Rule } from '../../analysis/rule';
import { exponentialRecursion } from './exponentialRecursion';
import { quadraticFunction } from './quadraticFunction';

export const complexityRules: Rule[] = [quadraticFunction, exponentialRecursion];
