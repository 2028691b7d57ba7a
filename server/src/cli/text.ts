// `hotpath check`'s text output: one line per finding, and a summary line.
import type { Severity } from '../analysis/rule';
import type { FileFindings } from './findings';

/** The text output's last line: what was found in how many files, and how many were skipped (their reasons are the warnings). */
export function summary(files: FileFindings[], skipped: number): string {
  let total = 0;
  let fixable = 0;
  const by: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of files) {
    for (const x of f.findings) {
      total++;
      if (x.fix) fixable++;
      by[x.severity]++;
    }
  }
  const count = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const skippedNote = skipped ? `; ${count(skipped)} skipped (see the warnings)` : '';
  if (files.length === 0 && skipped > 0) return `Nothing checked: ${count(skipped)} skipped (see the warnings).\n`;
  if (total === 0) return `All clear: no findings in ${count(files.length)}${skippedNote}.\n`;
  const plural: Record<Severity, string> = { error: 'errors', warning: 'warnings', information: 'information', hint: 'hints' };
  const kinds = (Object.keys(by) as Severity[]).filter((s) => by[s] > 0).map((s) => `${by[s]} ${by[s] === 1 ? s : plural[s]}`);
  return `Found ${total} finding${total === 1 ? '' : 's'} in ${count(files.length)}: ${kinds.join(', ')} (${fixable} with a quick fix in the editor)${skippedNote}.\n`;
}

/** Tags in the text output for findings that are neither errors nor warnings (a demoted finding must not read like one). */
const TAG: Record<Severity, string> = { error: '', warning: '', information: ' [info]', hint: ' [hint]' };

/** One finding in the text output: `path:line:col CODE message`, with `[info]` or `[hint]` after the code. */
export function textLine(path: string, line: number, column: number, x: { code: string; severity: Severity; message: string }): string {
  // A file name holding a newline or another control character is printed JSON-quoted, so that one
  // finding stays one line (`"sp ace\nnewline.py":4:5 …`).
  const shown = /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
  return `${shown}:${line}:${column} ${x.code}${TAG[x.severity]} ${x.message}\n`;
}
