// Reading a source file from disk for analysis (the CLI, and the editor's workspace diagnostics for
// files that are not open): too large, not UTF-8, binary, not source code or minified files are
// skipped with a reason instead of being parsed (the guards are content.ts's, as for open documents).
// Only regular files are read, and never more than the size limit (regularFile.ts): a FIFO, a device
// or a link to /dev/zero named `*.py` is skipped as "not a regular file".
import { skipReason } from './content';
import { readRegularFile } from './regularFile';

export type SourceText = { text: string; skipped?: undefined } | { text?: undefined; skipped: string };

/** The file's text, or why it is not analysed. Never throws. */
export function readSourceText(path: string, maxBytes: number): SourceText {
  const file = readRegularFile(path, maxBytes);
  if (file.skipped !== undefined) return { skipped: file.skipped };
  const bytes = file.bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
  const reason = skipReason(text, Infinity);
  return reason ? { skipped: reason } : { text };
}
