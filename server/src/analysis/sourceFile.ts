// Reading a source file from disk for analysis (the CLI, and the editor's workspace diagnostics for
// files that are not open): too large, not UTF-8, binary, not source code or minified files are
// skipped with a reason instead of being parsed (the guards are content.ts's, as for open documents).
// Only regular files are read, and never more than the size limit (regularFile.ts): a FIFO, a device
// or a link to /dev/zero named `*.py` is skipped as "not a regular file".
import { skipReason } from './content';
import { readRegularFile } from './regularFile';

export type SourceText = { text: string; skipped?: undefined } | { text?: undefined; skipped: string };

/**
 * The file's text, or why it is not analysed. Never throws. `decode` reads the bytes as the file's
 * language does (LanguageSpec.decodeSource; Python: its coding declaration); UTF-8 without one.
 */
export function readSourceText(path: string, maxBytes: number, decode: (bytes: Uint8Array) => SourceText = decodeUtf8): SourceText {
  const file = readRegularFile(path, maxBytes);
  if (file.skipped !== undefined) return { skipped: file.skipped };
  const decoded = decode(file.bytes);
  if (decoded.skipped !== undefined) return decoded;
  const reason = skipReason(decoded.text, Infinity);
  return reason ? { skipped: reason } : decoded;
}

/** UTF-8 text, or "not valid UTF-8". */
export function decodeUtf8(bytes: Uint8Array): SourceText {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
}

/** Bytes to write a fixed text back as, or why Hotpath will not write it (`hotpath check --fix`). */
export type EncodedSource = { bytes: Uint8Array; refused?: undefined } | { bytes?: undefined; refused: string };

/** UTF-8, with the byte order mark the original bytes began with (TextDecoder drops it on reading). */
export function encodeUtf8(text: string, original: Uint8Array): EncodedSource {
  const bom = original[0] === 0xef && original[1] === 0xbb && original[2] === 0xbf;
  const body = Buffer.from(text, 'utf8');
  return { bytes: bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body };
}
