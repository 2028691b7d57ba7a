// `hotpath check --fix` and `--diff`: the safe fixes of the findings a check shows (rules marked
// safeFix; the same selection, configuration and suppressions), applied round after round as the
// editor's "Fix all" applies them (analysis/fixes.ts applySafeFixes, shared), then written back or
// shown as a unified diff. A file is written back in its own encoding and line ends (the language's
// encodeSource), atomically (a temporary file beside it, renamed over it, with its mode), or not at
// all with a warning saying why: the user's text is never lost.
import { accessSync, chmodSync, chownSync, closeSync, constants, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { INVALID_SYNTAX } from '../analysis/document';
import { applySafeFixes } from '../analysis/fixes';
import { isEnabled } from '../analysis/config';
import { analyseJob, type AnalysisResult } from '../analysis/job';
import { positionsOf } from '../analysis/positions';
import { MAX_NAMED_SOURCE_BYTES, readRegularFile } from '../analysis/regularFile';
import type { Finding, Replacement } from '../analysis/rule';
import { decodeUtf8, encodeUtf8 } from '../analysis/sourceFile';
import { visibleFindings } from '../analysis/visible';
import { ruleByCode } from '../languages';
import { loadParserFactory, type BackendName, type GrammarName, type Parser } from '../parsing';
import { syntaxFinding, type FileFindings } from './findings';
import { diffPathOf, unifiedDiffOfBytes } from './unifiedDiff';

export interface FixReport {
  /** Every file's findings after the fixes (the files not changed as they were). */
  files: FileFindings[];
  /** Fixes applied (or, for --diff, that would be) in all and per rule. */
  fixed: number;
  byRule: Map<string, number>;
  /** Files changed (or that would be). */
  changed: number;
  /** --diff: one unified diff per file that would change, in the file's own bytes (encoding, line ends). */
  diffs: Uint8Array[];
  /**
   * Files with fixes that were not written (or, for --diff, would not be): unreadable, changed while
   * checked, an encoding or line ends that cannot be written back, a failed write. An I/O error:
   * exit status 2 (as Ruff's), whatever --exit-zero and --fail-on say.
   */
  notWritten: number;
}

export interface FixOptions {
  /** true: write the fixed files; false: only compute the diffs (--diff). */
  write: boolean;
  warn: (message: string) => void;
  /** The backend of the check (`--parser`, or the one chosen by size): the rounds after the first and the syntax check of the fixed text use it too (default 'auto'). */
  parser?: BackendName | 'auto';
  /** Loads the parsers for the rounds after the first (default loadParserFactory). */
  loadParsers?: typeof loadParserFactory;
}

const isSafe = (code: string) => ruleByCode(code)?.safeFix === true;

/** Apply the safe fixes of the checked files' findings; see the file comment. */
export async function fixFiles(files: FileFindings[], opts: FixOptions): Promise<FixReport> {
  const report: FixReport = { files: [], fixed: 0, byRule: new Map(), changed: 0, diffs: [], notWritten: 0 };
  const todo = files.filter((f) => f.findings.some((x) => x.fix && isSafe(x.code)));
  const grammars = [...new Set(todo.map((f) => f.spec.grammar))];
  const factory = grammars.length ? await (opts.loadParsers ?? loadParserFactory)(opts.parser ?? 'auto', grammars) : undefined;
  const parsers = new Map<GrammarName, Parser>();
  for (const file of files) {
    if (!todo.includes(file) || !factory) {
      report.files.push(file);
      continue;
    }
    const parser = parsers.get(file.spec.grammar) ?? parsers.set(file.spec.grammar, factory.create(file.spec.grammar)).get(file.spec.grammar)!;
    const out = fixFile(file, parser, opts);
    report.files.push(out.file);
    if (out.notWritten) report.notWritten++;
    if (!out.applied) continue;
    report.fixed += out.applied;
    report.changed++;
    for (const [code, n] of out.byRule) report.byRule.set(code, (report.byRule.get(code) ?? 0) + n);
    if (out.diff) report.diffs.push(out.diff);
  }
  return report;
}

/** One file: its findings after the fixes, and what was fixed (nothing when it was left alone). */
function fixFile(file: FileFindings, parser: Parser, opts: FixOptions): { file: FileFindings; applied: number; byRule: Map<string, number>; diff?: Uint8Array; notWritten?: boolean } {
  const unchanged = { file, applied: 0, byRule: new Map<string, number>() };
  const skip = (why: string) => (opts.warn(`${file.displayPath}: not fixed: ${why}`), unchanged);
  const refuse = (why: string) => ({ ...skip(why), notWritten: true });
  // Ruff's rule: no fixes in a file that does not parse (a rewrite next to broken code may make it
  // worse). Valid code the grammar lacks (information, grammarGaps.ts) is no syntax error.
  if (file.findings.some((x) => x.code === INVALID_SYNTAX && x.severity === 'error')) return skip('it does not parse');
  const original = readRegularFile(file.path, MAX_NAMED_SOURCE_BYTES);
  if (original.skipped !== undefined) return refuse(original.skipped);
  const decode = file.spec.decodeSource ?? decodeUtf8;
  const encode = file.spec.encodeSource ?? encodeUtf8;
  if (decode(original.bytes).text !== file.text) return refuse('it changed while it was checked');
  // Written back byte for byte, or not at all: the unchanged text must give the file's own bytes.
  const same = encode(file.text, original.bytes);
  if (same.refused !== undefined) return refuse(same.refused);
  if (!Buffer.from(same.bytes).equals(original.bytes)) return refuse('its bytes cannot be written back exactly as they are (encoding or line ends)');

  const enabled = file.spec.rules.filter((r) => isEnabled(r.code, ...(file.selections ?? []))).map((r) => r.code);
  const results = new Map<string, AnalysisResult>();
  const analyse = (text: string) => results.get(text) ?? results.set(text, analyseJob(file.spec, parser, { language: file.spec.id, text, rules: enabled })).get(text)!;
  const visibleOf = (text: string): readonly Finding[] => (text === file.text ? file.findings : visibleFindings(analyse(text).findings, text, file.spec.lineComment, file.selections ?? []));
  // Inserted lines end as the file's lines do (a CRLF file keeps CRLF, a JS/TS lone-CR file CR).
  const eol = lineEndOf(file.text);
  const adapt = (r: Replacement) => ({ ...r, newText: r.newText.replace(/\r?\n/g, eol) });
  const result = applySafeFixes(file.text, visibleOf, isSafe, { adapt });
  if (result.text === file.text) return unchanged;
  const syntax = analyse(result.text).syntax;
  const broken = syntax.find((e) => e.severity !== 'information');
  if (broken) return refuse(`a fix would make invalid syntax (${broken.message}); please report this`);
  const encoded = encode(result.text, original.bytes);
  if (encoded.refused !== undefined) return refuse(encoded.refused);
  if (decode(encoded.bytes).text !== result.text) return refuse('the fixed text does not read back as written');

  const after: FileFindings = { ...file, text: result.text, positions: positionsOf(result.text), findings: [...syntax.map(syntaxFinding), ...result.remaining].sort((a, b) => a.startIndex - b.startIndex) };
  const done = { file: after, applied: result.applied, byRule: result.byRule };
  if (!opts.write) return { ...done, diff: unifiedDiffOfBytes(diffPathOf(file.path), original.bytes, encoded.bytes) };
  const failed = writeAtomically(file.path, encoded.bytes, original.bytes);
  return failed ? refuse(`${failed}; the file is left as it was`) : done;
}

/** The text's first line end ('\n' when it has none). Python's decoded text has LF only (its encoder writes CR or CRLF back); JS/TS text keeps its own (review 10 L4). */
export function lineEndOf(text: string): '\r\n' | '\r' | '\n' {
  return (/\r\n|\r|\n/.exec(text)?.[0] as '\r\n' | '\r' | '\n' | undefined) ?? '\n';
}

/**
 * Replace the file at `path` (through a link: its target) by `bytes`: written to a temporary file in
 * the same folder, flushed, given the file's mode, then renamed over it, so that a failure at any
 * point leaves the original whole. A file this user may not write is not replaced (a rename would
 * replace it even so); with `expected`, neither is a file whose bytes are no longer those (saved by an
 * editor, a formatter or a checkout while it was being fixed). Returns why it failed, or undefined.
 */
export function writeAtomically(path: string, bytes: Uint8Array, expected?: Uint8Array): string | undefined {
  let target: string;
  let mode: number;
  let owner: { uid: number; gid: number };
  try {
    target = realpathSync(path);
    const st = statSync(target);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch (err) {
    return `cannot read its status: ${(err as Error).message}`;
  }
  // No write bit at all (root could still write it, but a read-only file says "leave me"), or none for this user.
  if ((mode & 0o222) === 0) return 'it is read-only';
  try {
    accessSync(target, constants.W_OK);
  } catch {
    return 'it is not writable by you';
  }
  const tmp = join(dirname(target), `.${basename(target)}.hotpath-${process.pid}-${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(tmp, mode); // openSync's mode is masked by the umask
    if (process.getuid?.() === 0) chownSync(tmp, owner.uid, owner.gid); // root fixing another user's file keeps it theirs
    if (expected && !readFileSync(target).equals(expected)) throw new Error('it changed while it was being fixed');
    renameSync(tmp, target);
    return undefined;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    return `cannot write it: ${(err as Error).message}`;
  }
}

function byRuleText(byRule: Map<string, number>): string {
  return [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code} ${n}`).join(', ');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** --fix's summary, as Ruff's: "Found N findings (M fixed, K remaining)." after a line on what was fixed. */
export function fixSummary(report: FixReport, skipped: number): string {
  const remaining = report.files.reduce((n, f) => n + f.findings.length, 0);
  const skippedNote = skipped ? `; ${plural(skipped, 'file')} skipped (see the warnings)` : '';
  const fixedLine = report.fixed ? `Fixed ${plural(report.fixed, 'finding')} in ${plural(report.changed, 'file')} (${byRuleText(report.byRule)}).\n` : '';
  if (report.fixed + remaining === 0) return `All clear: no findings in ${plural(report.files.length, 'file')}${skippedNote}.\n`;
  return `${fixedLine}Found ${plural(report.fixed + remaining, 'finding')} (${report.fixed} fixed, ${remaining} remaining)${skippedNote}.\n`;
}

/** --diff's line on stderr. */
export function diffSummary(report: FixReport): string {
  return report.fixed ? `Would fix ${plural(report.fixed, 'finding')} in ${plural(report.changed, 'file')} (${byRuleText(report.byRule)}).\n` : 'No safe fixes to apply.\n';
}
