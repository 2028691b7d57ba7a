// Verified rewrites (issue 7): docs/optimize.md.
export * from './types';
export { optimizeFunction, measureRuleFix, OptimizeCache, sharedCache, contentHash, ruleFixCandidate, type OptimizeOptions, type OptimizeControl } from './pipeline';
export { verifyCandidate, candidateTarget, type VerifyOptions } from './verify';
export { candidateFromAnswer, codeOf, moduleFunctions, parseModule } from './candidate';
export { diagnose, findingsIn } from './diagnose';
export { renderPrompt, renderTemplate, promptsDir, promptFile } from './prompts';
export { ModelCandidateSource, FixedCandidateSource, candidatesFromEnv, type CandidateSource, type CandidateRequest, type ProposedAnswer } from './sources';
export { actionTitle, measurementText, outcomeLine, resultToText, formatN, formatSpeedup, prettyClass, speedupSizes } from './report';
