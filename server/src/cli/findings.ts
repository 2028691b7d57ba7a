// The findings of one file as the CLI's outputs (text, JSON, SARIF) report them.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Positions } from '../analysis/positions';
import type { RuleSelection } from '../analysis/config';
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
  /** The rule selections the findings were shown under (project configuration, then the command line): --fix analyses again under them. */
  selections?: readonly (RuleSelection | undefined)[];
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
