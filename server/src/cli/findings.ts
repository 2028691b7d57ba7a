// The findings of one file as the CLI's outputs (text, JSON, SARIF) report them.
import type { Positions } from '../analysis/positions';
import type { Finding } from '../analysis/rule';
import type { LanguageSpec } from '../languages';

export interface FileFindings {
  path: string;
  displayPath: string;
  text: string;
  /** The text's line index (analysis/positions.ts): every finding's line and column come from here. */
  positions: Positions;
  spec: LanguageSpec;
  findings: Finding[];
}

/** A file given or found that was not analysed, and why (the reason as the warning says it). */
export interface SkippedFile {
  path: string;
  displayPath: string;
  reason: string;
}
