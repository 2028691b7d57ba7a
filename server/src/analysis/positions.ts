// Offsets ↔ positions, in one place. Findings carry UTF-16 offsets into the text; editors speak
// LSP positions (0-based lines ending at \n, \r\n or \r, UTF-16 characters); the CLI and SARIF print
// 1-based lines and columns; tree-sitter wants points (rows end at \n only). Every conversion goes
// through a line index built once per text: a TextDocument from vscode-languageserver-textdocument
// (an open document's own, or one made here for a plain text), so each lookup is a binary search.
import { TextDocument, type Position, type Range } from 'vscode-languageserver-textdocument';
import type { Point } from '../parsing';

export type { Position, Range };

/** What a line index answers; an open document's TextDocument is one. */
export interface Positions {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  readonly lineCount: number;
  getText(): string;
}

/** A position as LSP defines it: non-negative integers (fractions, NaN, negatives and strings are not). */
export function isPosition(p: unknown): p is Position {
  const q = p as Position | null;
  return typeof q === 'object' && q !== null && Number.isSafeInteger(q.line) && q.line >= 0 && Number.isSafeInteger(q.character) && q.character >= 0;
}

export function isRange(r: unknown): r is Range {
  const q = r as { start?: unknown; end?: unknown } | null;
  return typeof q === 'object' && q !== null && isPosition(q.start) && isPosition(q.end);
}

/** A line index for a plain text (built lazily, on the first lookup). */
export function positionsOf(text: string): Positions {
  return TextDocument.create('hotpath:text', 'plaintext', 0, text);
}

export function rangeAt(p: Positions, startIndex: number, endIndex: number): Range {
  return { start: p.positionAt(startIndex), end: p.positionAt(endIndex) };
}

/** 1-based line and column (UTF-16 columns, as LSP and SARIF count them). */
export function lineColumn(p: Positions, offset: number): { line: number; column: number } {
  const { line, character } = p.positionAt(offset);
  return { line: line + 1, column: character + 1 };
}

/** The offset where a 0-based line starts (the end of the text past the last line). */
export function lineStart(p: Positions, line: number): number {
  return line >= p.lineCount ? p.getText().length : p.offsetAt({ line: Math.max(0, line), character: 0 });
}

/**
 * tree-sitter's point for an offset: the row is the LSP line (the same wherever lines end at '\n'
 * or "\r\n"; a lone '\r', which LSP counts and tree-sitter does not, makes rows of edited trees
 * approximate, and nothing in Hotpath reads them) and the column counts from the last '\n' (the
 * Python scanner reads columns for indentation, so they are exact).
 */
export function pointAt(p: Positions, offset: number): Point {
  if (offset <= 0) return { row: 0, column: 0 };
  return { row: p.positionAt(offset).line, column: offset - (p.getText().lastIndexOf('\n', offset - 1) + 1) };
}
