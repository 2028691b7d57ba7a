// Reading a source file from disk for analysis (the CLI, and the editor's workspace diagnostics for
// files that are not open): too large, not UTF-8, binary, not source code or minified files are
// skipped with a reason instead of being parsed (the guards are content.ts's, as for open documents).
import { readFileSync } from 'node:fs';
import { skipReason } from './content';

export type SourceText = { text: string; skipped?: undefined } | { text?: undefined; skipped: string };

/** The file's text, or why it is not analysed. Never throws. */
export function readSourceText(path: string, maxBytes: number): SourceText {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return { skipped: (err as Error).message };
  }
  if (bytes.length > maxBytes) return { skipped: `${Math.round(bytes.length / 1024)} KB is over the size limit` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
  const reason = skipReason(text, Infinity);
  return reason ? { skipped: reason } : { text };
}
