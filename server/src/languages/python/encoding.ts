// How Python reads a source file's bytes (PEP 263, and its tokenizer's line ends): a coding
// declaration on the first or second line (`# -*- coding: latin-1 -*-`) names the encoding, UTF-8
// otherwise; a lone CR ends a line as LF and CRLF do. The CLI and the editor's workspace diagnostics
// read files from disk through this; open documents come decoded from the editor.
import { decodeUtf8, encodeUtf8, type EncodedSource, type SourceText } from '../../analysis/sourceFile';

const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK_OR_COMMENT = /^[ \t\f]*(?:#.*)?$/;
const LATIN_1 = new Set(['latin-1', 'iso-8859-1', 'iso8859-1', '8859', 'cp819', 'latin', 'latin1', 'l1', 'iso-ir-100', 'iso-latin-1']);
const ASCII = new Set(['ascii', 'us-ascii', '646']);

/** The encoding the first two lines declare (PEP 263), or undefined. */
export function declaredEncoding(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII: read the head as latin-1, which maps every byte to one character.
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  const [first = '', second = ''] = head.split(/\r\n|\r|\n/, 2);
  const inFirst = COOKIE.exec(first);
  if (inFirst) return inFirst[1];
  // The second line counts only when the first is blank or a comment (a shebang), as in the tokenizer.
  return BLANK_OR_COMMENT.test(first) ? COOKIE.exec(second)?.[1] : undefined;
}

/** The file's text as Python decodes it, or why Hotpath cannot. */
export function decodePythonSource(bytes: Uint8Array): SourceText {
  const decoded = decodeDeclared(bytes);
  // A lone CR (old Mac line ends) is a line end to Python; tree-sitter's grammar reads only LF and
  // CRLF. LF in its place keeps every offset and line number (positions.ts counts a lone CR as a line end).
  return decoded.text === undefined ? decoded : { text: decoded.text.replace(/\r(?!\n)/g, '\n') };
}

function decodeDeclared(bytes: Uint8Array): SourceText {
  // A UTF-8 byte order mark decides (Python refuses any other declaration beside it).
  const declared = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? undefined : declaredEncoding(bytes);
  if (declared === undefined) return decodeUtf8(bytes);
  const name = declared.toLowerCase().replace(/_/g, '-');
  const kind = kindOf(name);
  if (kind === 'utf-8') return decodeUtf8(bytes);
  const invalid = { skipped: `not valid ${declared} (the encoding its coding declaration names)` };
  if (kind === 'latin-1') return { text: Buffer.from(bytes).toString('latin1') };
  if (kind === 'ascii') return bytes.every((b) => b < 0x80) ? { text: Buffer.from(bytes).toString('latin1') } : invalid;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(name, { fatal: true });
  } catch {
    return { skipped: `its coding declaration names '${declared}', an encoding Hotpath cannot decode` };
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return invalid;
  }
}

/** The encodings Hotpath reads and writes itself (others only through TextDecoder, which cannot write). */
function kindOf(name: string): 'utf-8' | 'latin-1' | 'ascii' | undefined {
  if (name === 'utf-8' || name === 'utf8' || name.startsWith('utf-8-')) return 'utf-8';
  if (LATIN_1.has(name) || name.startsWith('latin-1-') || name.startsWith('iso-8859-1-')) return 'latin-1';
  return ASCII.has(name) ? 'ascii' : undefined;
}

/**
 * A fixed text back to the bytes of its file (`hotpath check --fix`): in the encoding the file's
 * coding declaration names (UTF-8 keeping a byte order mark, latin-1 or ASCII; another is refused,
 * as TextDecoder has no encoder) and with lone CR line ends where the file had them (the decoded
 * text has LF there). A file mixing lone CR with LF is refused: which LF was a CR is not known.
 */
export function encodePythonSource(text: string, original: Uint8Array): EncodedSource {
  if (original.some((b, i) => b === 0x0d && original[i + 1] !== 0x0a)) {
    if (original.includes(0x0a)) return { refused: 'its line ends mix lone CR with LF or CRLF' };
    text = text.replace(/\n/g, '\r');
  }
  const bom = original[0] === 0xef && original[1] === 0xbb && original[2] === 0xbf;
  const declared = bom ? undefined : declaredEncoding(original);
  const kind = declared === undefined ? 'utf-8' : kindOf(declared.toLowerCase().replace(/_/g, '-'));
  if (kind === 'utf-8') return encodeUtf8(text, original);
  if (kind === undefined) return { refused: `its coding declaration names '${declared}', an encoding Hotpath reads but does not write` };
  const outside = kind === 'latin-1' ? /[^\u0000-\u00ff]/ : /[^\u0000-\u007f]/;
  if (outside.test(text)) return { refused: `the fixed text holds a character that ${declared} cannot encode` };
  return { bytes: Buffer.from(text, 'latin1') };
}
