// Shared by the features that present findings: which findings a user sees for a document (the
// policy is analysis/visible.ts; here the document's project configuration and the editor settings
// are looked up), offset↔position conversion on the document's own line index, a finding as an LSP
// diagnostic (one line, the code linked to the rule's page, related information only for the
// chain), and where the rule pages are.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver/node';
import type { ProjectSelections, RuleSelection } from '../analysis/config';
import { rangeAt, type Positions } from '../analysis/positions';
import type { Finding, Severity } from '../analysis/rule';
import { visibleFindings as visible } from '../analysis/visible';
import type { DocumentView } from '../documents';
import type { HotpathSettings } from '../settings';

/** The document's line index (LSP lines, UTF-16 characters), kept in step with its text. */
export function positions(doc: DocumentView): Positions {
  return doc.document;
}

export function rangeOf(doc: DocumentView, startIndex: number, endIndex: number): Range {
  return rangeAt(doc.document, startIndex, endIndex);
}

/** File names whose change can alter a project's rule selection. */
export const PROJECT_CONFIG_FILES = ['hotpath.toml', '.hotpath.toml', 'pyproject.toml', 'package.json'];

/** The findings to show: enabled by project config and settings, not suppressed in the source. */
export function visibleFindings(doc: DocumentView, settings: HotpathSettings, projects: ProjectSelections): Finding[] {
  const analysis = doc.analysis;
  if (!analysis) return [];
  return visibleOf(analysis.findings(), doc, settings, projects);
}

/** The same for findings analysed elsewhere (a worker thread) of the document's text. */
export function visibleOf(findings: Finding[], doc: Pick<DocumentView, 'uri' | 'text' | 'spec'>, settings: HotpathSettings, projects: ProjectSelections): Finding[] {
  if (!settings.enable) return [];
  const project = projects.get(doc.uri);
  const editor: RuleSelection = { select: settings.select ?? [], ignore: settings.ignore ?? [], exclude: [] };
  return visible(findings, doc.text, doc.spec.lineComment, [project, editor]);
}

// Rule pages: dist/rules/<CODE>.md (written by scripts/build.mjs from the rule files), next to the
// bundled server in the package, or under the repository root when the sources run (tests).

let pagesDir: string | null | undefined;

/** The directory of the rule pages, or null when the build did not write them. */
export function rulePagesDir(from = __dirname): string | null {
  if (pagesDir !== undefined) return pagesDir;
  pagesDir = null;
  for (let dir = from, i = 0; i < 6; i++, dir = dirname(dir)) {
    for (const candidate of [join(dir, 'rules'), join(dir, 'dist', 'rules')]) {
      if (existsSync(join(candidate, 'HP101.md'))) return (pagesDir = candidate);
    }
  }
  return pagesDir;
}

const hrefs = new Map<string, string | undefined>();

/** file: URL of a rule's page, or undefined when there is none (looked up once per code). */
export function rulePageHref(code: string): string | undefined {
  if (hrefs.has(code)) return hrefs.get(code);
  const dir = rulePagesDir();
  const page = dir && /^[A-Z]+\d+$/.test(code) ? join(dir, `${code}.md`) : undefined;
  const href = page && existsSync(page) ? pathToFileURL(page).href : undefined;
  hrefs.set(code, href);
  return href;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A finding as an LSP diagnostic. */
export function toDiagnostic(doc: DocumentView, f: Finding): Diagnostic {
  const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({ location: { uri: doc.uri, range: rangeOf(doc, r.startIndex, r.endIndex) }, message: r.message }));
  const href = rulePageHref(f.code);
  return {
    range: rangeOf(doc, f.startIndex, f.endIndex),
    severity: SEVERITY[f.severity],
    code: f.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: 'hotpath',
    message: f.message,
    relatedInformation: related,
    data: { fixable: Boolean(f.fix) },
  };
}
