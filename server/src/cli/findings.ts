// The findings of one file as the CLI's outputs (text, JSON, SARIF) report them.
import type { Finding } from '../analysis/rule';
import type { LanguageSpec } from '../languages';

export interface FileFindings {
  path: string;
  displayPath: string;
  text: string;
  spec: LanguageSpec;
  findings: Finding[];
}

/** Line and column (1-based, UTF-16 columns like LSP and SARIF) of an offset. */
export function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}
