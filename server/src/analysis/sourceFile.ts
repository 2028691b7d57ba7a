// Reading a source file from disk for analysis (the CLI, and the editor's workspace diagnostics for
// files that are not open): too large, binary, not UTF-8 or minified files are skipped with a reason
// instead of being parsed.
import { readFileSync } from 'node:fs';

/**
 * Minified or generated code: a sizeable file whose lines average hundreds of characters. Nobody
 * acts on efficiency findings inside a bundle, and one giant unit would be re-analysed on every
 * keystroke.
 */
export function looksMinified(text: string): boolean {
  if (text.length < 32 * 1024) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > 300;
}

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
  if (bytes.subarray(0, 8192).includes(0)) return { skipped: 'looks binary' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
  if (looksMinified(text)) return { skipped: 'looks minified or generated (lines average over 300 characters)' };
  return { text };
}
