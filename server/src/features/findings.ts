// Shared by the features that present findings: which findings a user sees for a document
// (rule selection, suppressions) and conversion between offsets and LSP positions.
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver/node';
import { isEnabled, loadProjectConfig, type RuleSelection } from '../analysis/config';
import type { Finding } from '../analysis/rule';
import { isSuppressed } from '../analysis/suppressions';
import type { OpenDocument } from '../documents';
import type { HotpathSettings } from '../settings';

const positionsCache = new WeakMap<OpenDocument, { version: number; text: string; doc: TextDocument }>();

/** A TextDocument for offset↔position conversion (LSP lines, UTF-16 characters). */
export function positions(doc: OpenDocument): TextDocument {
  const cached = positionsCache.get(doc);
  if (cached && cached.version === doc.version && cached.text === doc.text) return cached.doc;
  const td = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.text);
  positionsCache.set(doc, { version: doc.version, text: doc.text, doc: td });
  return td;
}

export function rangeOf(doc: OpenDocument, startIndex: number, endIndex: number): Range {
  const td = positions(doc);
  return { start: td.positionAt(startIndex), end: td.positionAt(endIndex) };
}

/**
 * Project configuration by document, read once and kept until a configuration file changes
 * (`invalidateProjectSelections`): findings are filtered on every keystroke, and walking up the
 * directories to read files each time would put disk I/O on that path.
 */
const projectSelections = new Map<string, RuleSelection | undefined>();

/** Forget one document's selection, or every one (a configuration file changed). */
export function invalidateProjectSelections(uri?: string): void {
  if (uri) projectSelections.delete(uri);
  else projectSelections.clear();
}

/** File names whose change can alter a project's rule selection. */
export const PROJECT_CONFIG_FILES = ['hotpath.toml', '.hotpath.toml', 'pyproject.toml', 'package.json'];

export function projectSelection(uri: string, log: (m: string) => void): RuleSelection | undefined {
  if (!uri.startsWith('file:')) return undefined;
  if (projectSelections.has(uri)) return projectSelections.get(uri);
  let selection: RuleSelection | undefined;
  try {
    selection = loadProjectConfig(fileURLToPath(uri));
  } catch (err) {
    log((err as Error).message);
  }
  projectSelections.set(uri, selection);
  return selection;
}

/** The findings to show: enabled by project config and settings, not suppressed in the source. */
export function visibleFindings(doc: OpenDocument, settings: HotpathSettings, log: (m: string) => void): Finding[] {
  if (!doc.analysis || !settings.enable) return [];
  const project = projectSelection(doc.uri, log);
  const editor: RuleSelection = { select: settings.select ?? [], ignore: settings.ignore ?? [], exclude: [] };
  return doc.analysis
    .findings()
    .filter((f) => isEnabled(f.code, project, editor) && !isSuppressed(doc.text, doc.spec.lineComment, f.startIndex, f.code));
}
