// The findings of one file as the CLI's outputs (text, JSON, SARIF) report them.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Positions } from '../analysis/positions';
import type { RuleSelection } from '../analysis/config';
import { INVALID_SYNTAX } from '../analysis/document';
import type { InvalidSyntax } from '../analysis/syntaxErrors';
import type { Finding } from '../analysis/rule';
import type { LanguageSpec } from '../languages';
import type { BackendName } from '../parsing';

export interface FileFindings {
  path: string;
  displayPath: string;
  text: string;
  /** The text's line index (analysis/positions.ts): every finding's line and column come from here. */
  positions: Positions;
  spec: LanguageSpec;
  findings: Finding[];
  /** The rule selections the findings were shown under (project configuration, then the command line): --fix analyses again under them. */
  selections?: readonly (RuleSelection | undefined)[];
  /** The parser backend the check loaded and analysed with ('auto' may have fallen back to WASM): --fix parses with it too. */
  backend?: BackendName;
}

/** A region that does not parse as the outputs report it, whatever the rule selection (Ruff's invalid-syntax; check.ts and fix.ts). */
export function syntaxFinding(e: InvalidSyntax): Finding {
  return { code: INVALID_SYNTAX, severity: e.severity ?? 'error', message: e.message, startIndex: e.startIndex, endIndex: e.endIndex, related: [] };
}

/** A file given or found that was not analysed, and why (the reason as the warning says it). */
export interface SkippedFile {
  path: string;
  displayPath: string;
  reason: string;
}

/**
 * How a path is shown: relative to the working directory when it lies inside it, else absolute, as
 * Ruff prints it (`../../usr/lib/…` from /tmp said nothing the absolute path does not say better).
 */
export function displayPathOf(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return resolve(cwd, path);
  return rel || path;
}

/**
 * A SARIF artifactLocation for a shown path: a URI reference relative to %SRCROOT% (the working
 * directory), each segment percent-encoded (a space or `#` in a file name is not valid in a URI), or a
 * file: URI for a path outside the working directory.
 */
export function artifactLocation(displayPath: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(displayPath)) return { uri: pathToFileURL(displayPath).href };
  return { uri: displayPath.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}
