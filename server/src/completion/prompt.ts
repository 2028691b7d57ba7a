// The fill-in-the-middle prompt around the cursor: a prefix and a suffix window sized to the
// model's context, plus other open files when they fit. The windows start and end at line
// boundaries and stay put while the cursor moves inside them (hysteresis), so consecutive prompts
// differ only where the user edited: what the edit-aware KV cache needs to reuse the rest.
import type { FimInfo } from '../model/engine';
import { fimSegments, type PromptSegment } from '../model/fim';
import { lineStart, positionsOf, type Positions } from '../analysis/positions';

export interface WindowState {
  /** The first line of the prefix window and its text (found again after edits above it). */
  startLine: number;
  startText: string;
  /** The last line (exclusive) of the suffix window and the text of the line before it. */
  endLine: number;
  endText: string;
}

export interface PromptBudget {
  /** Characters for the current file's windows; other files get otherChars. */
  prefixChars: number;
  suffixChars: number;
  otherChars: number;
}

export interface BuiltPrompt {
  segments: PromptSegment[];
  /** The text before the cursor in the window (all of it, including `healed`). */
  prefix: string;
  /** Spaces or tabs at the end of the prefix that the prompt leaves out ("token healing"): a BPE
   *  model writes a line's indentation and a word's leading space together with the word (" return"),
   *  so a prompt that ends in them asks for an unusual split; the model writes them again, and
   *  `unheal` removes them from its answer. */
  healed: string;
  suffix: string;
  /** Offsets of the windows in the document. */
  start: number;
  end: number;
  files: string[];
  state: WindowState;
}

function lineAt(p: Positions, offset: number): number {
  return p.positionAt(offset).line;
}

function lineText(text: string, p: Positions, line: number): string {
  if (line < 0 || line >= p.lineCount) return '';
  return text.slice(lineStart(p, line), lineStart(p, line + 1));
}

/** Find a line with this text near `line` (edits above may have moved it). */
function relocate(text: string, p: Positions, line: number, content: string, radius = 64): number | undefined {
  for (let d = 0; d <= radius; d++) {
    for (const l of d === 0 ? [line] : [line - d, line + d]) if (l >= 0 && l < p.lineCount && lineText(text, p, l) === content) return l;
  }
  return undefined;
}

/**
 * Prefix and suffix windows for the cursor at `offset`, reusing `previous` when it still fits.
 * New windows leave a quarter of the budget free so that typing does not move them at once.
 */
export function chooseWindows(text: string, offset: number, budget: PromptBudget, previous?: WindowState): { start: number; end: number; state: WindowState } {
  const p = positionsOf(text);
  const lines = p.lineCount;
  const cursorLine = lineAt(p, offset);
  let startLine: number | undefined;
  let endLine: number | undefined;
  if (previous) {
    const s = previous.startLine === 0 ? 0 : relocate(text, p, previous.startLine, previous.startText);
    if (s !== undefined && s <= cursorLine && offset - lineStart(p, s) <= budget.prefixChars) startLine = s;
    const eLine = previous.endLine >= lines ? lines : relocate(text, p, previous.endLine - 1, previous.endText);
    const e = eLine === undefined ? undefined : eLine >= lines ? lines : eLine + 1;
    if (e !== undefined && e > cursorLine) {
      const endOffset = lineStart(p, e);
      if (endOffset - offset <= budget.suffixChars) endLine = e;
    }
  }
  if (startLine === undefined) {
    const target = offset - Math.floor(budget.prefixChars * 0.75);
    startLine = target <= 0 ? 0 : Math.min(cursorLine, lineAt(p, target) + 1);
  }
  if (endLine === undefined) {
    const target = offset + Math.floor(budget.suffixChars * 0.75);
    endLine = target >= text.length ? lines : Math.max(cursorLine + 1, lineAt(p, target));
  }
  const start = lineStart(p, startLine);
  const end = lineStart(p, endLine);
  return {
    start,
    end: Math.max(end, offset),
    state: { startLine, startText: lineText(text, p, startLine), endLine, endText: lineText(text, p, endLine - 1) },
  };
}

/** Prompt tokens for a session of `contextSize` tokens: what is left after the generation and a margin. */
export function promptTokensFor(contextSize: number, maxTokens: number): number {
  return Math.max(64, contextSize - maxTokens - 32);
}

/** The character budget for a prompt of `promptTokens` tokens at the running characters-per-token
 *  estimate: a fifth for other files when there are some (and the format has room for them), the
 *  rest 3:1 between the prefix and the suffix window. */
export function promptBudget(promptTokens: number, charsPerToken: number, withOthers: boolean): PromptBudget {
  const chars = Math.floor(promptTokens * charsPerToken);
  const otherChars = withOthers ? Math.floor(chars * 0.2) : 0;
  const own = chars - otherChars;
  return { prefixChars: Math.floor(own * 0.75), suffixChars: Math.floor(own * 0.25), otherChars };
}

/** The characters-per-token estimate after a prompt of `chars` characters took `tokens` tokens. */
export function nextCharsPerToken(current: number, chars: number, tokens: number): number {
  return tokens > 0 && chars > 0 ? 0.7 * current + 0.3 * (chars / tokens) : current;
}

export interface OtherFile {
  path: string;
  text: string;
}

/**
 * The prompt around the cursor. Without a FIM format (a model without FIM tokens) the prompt is the
 * prefix window alone: prefix-only completion, the suffix budget goes to the prefix.
 */
export function buildPrompt(
  fim: FimInfo | undefined,
  text: string,
  offset: number,
  path: string,
  budget: PromptBudget,
  others: readonly OtherFile[],
  previous?: WindowState,
): BuiltPrompt {
  if (!fim) {
    const { start, state } = chooseWindows(text, offset, { prefixChars: budget.prefixChars + budget.suffixChars, suffixChars: 0, otherChars: 0 }, previous);
    const prefix = text.slice(start, offset);
    const healed = trailingBlanks(prefix);
    return { segments: [{ text: prefix.slice(0, prefix.length - healed.length) }], prefix, healed, suffix: '', start, end: offset, files: [], state };
  }
  const { start, end, state } = chooseWindows(text, offset, budget, previous);
  const prefix = text.slice(start, offset);
  const suffix = text.slice(offset, end);
  const files: OtherFile[] = [];
  let left = budget.otherChars;
  if (fim.tokens.fileSep) {
    for (const f of others) {
      const cost = f.path.length + f.text.length + 2;
      if (cost > left) continue;
      files.push(f);
      left -= cost;
    }
  }
  const healed = trailingBlanks(prefix);
  const segments = fimSegments(fim, { prefix: prefix.slice(0, prefix.length - healed.length), suffix, path: files.length ? path : undefined, files: files.length ? files : undefined, repo: files.length ? 'workspace' : undefined });
  return { segments, prefix, healed, suffix, start, end, files: files.map((f) => f.path), state };
}

function trailingBlanks(text: string): string {
  return /[ \t]*$/.exec(text)?.[0] ?? '';
}

/** A raw completion of a healed prompt: the blanks the user already typed are removed from its start. */
export function unheal(raw: string, healed: string): string {
  let i = 0;
  while (i < healed.length && i < raw.length && (raw[i] === ' ' || raw[i] === '\t')) i++;
  return raw.slice(i);
}
