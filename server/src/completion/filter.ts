// The efficiency filter: every candidate completion is put in place in the document, parsed with
// tree-sitter and run through Hotpath's own rules. Candidates that do not parse (they add syntax
// errors the document did not have) or that introduce an efficiency finding are dropped or ranked
// below clean ones, depending on the setting.
import { analyzeText } from '../analysis/analyzeText';
import type { Finding } from '../analysis/rule';
import type { LanguageSpec } from '../languages';
import type { ParserFactory } from '../parsing';

export type FilterMode = 'drop' | 'rank' | 'off';

export interface CheckedCandidate {
  text: string;
  /** Position in the model's order (0: its first choice). */
  index: number;
  /** No syntax error or missing node beyond those the document already had. */
  parses: boolean;
  /** Findings the candidate introduces (code and message). */
  introduced: { code: string; message: string }[];
}

/** Number of ERROR and MISSING nodes in the parse of text. */
export function syntaxErrors(spec: LanguageSpec, factory: ParserFactory, text: string): number {
  const tree = factory.create(spec.grammar).parse(text);
  const c = tree.rootNode.walk();
  try {
    let n = 0;
    for (;;) {
      if (c.nodeType === 'ERROR' || c.nodeIsMissing) n++;
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent()) return n;
      }
    }
  } finally {
    // Delete cursors explicitly: web-tree-sitter's cursor finalizer frees the wrong memory.
    c.delete?.();
    tree.dispose();
  }
}

function key(f: Finding): string {
  return `${f.code}@${f.startIndex}`;
}

export class EfficiencyFilter {
  private baseErrors: number | undefined;
  private baseFindings: Finding[] | undefined;

  /** docText: the document now; offset: the cursor, where candidates are inserted. */
  constructor(
    private readonly spec: LanguageSpec,
    private readonly factory: ParserFactory,
    private readonly docText: string,
    private readonly offset: number,
  ) {}

  check(text: string, index: number): CheckedCandidate {
    const doc = this.docText;
    const at = this.offset;
    const withCandidate = doc.slice(0, at) + text + doc.slice(at);
    this.baseErrors ??= syntaxErrors(this.spec, this.factory, doc);
    this.baseFindings ??= analyzeText(this.spec, this.factory, doc);
    const parses = syntaxErrors(this.spec, this.factory, withCandidate) <= this.baseErrors;
    // Old findings, moved to where they are after the insertion.
    const before = new Set(this.baseFindings.map((f) => key({ ...f, startIndex: f.startIndex >= at ? f.startIndex + text.length : f.startIndex })));
    // A finding is the candidate's when it is new and it, or one of its related spans, touches the
    // inserted text (an unparseable document may lack findings its complete version has).
    const end = at + text.length;
    const touches = (s: { startIndex: number; endIndex: number }) => s.startIndex < end && s.endIndex > at;
    const introduced = analyzeText(this.spec, this.factory, withCandidate)
      .filter((f) => !before.has(key(f)) && (touches(f) || f.related.some(touches)))
      .map((f) => ({ code: f.code, message: f.message }));
    return { text, index, parses, introduced };
  }

  /** Candidates in the order to offer them: clean first, then by the model's order; 'drop' removes unclean ones. */
  rank(candidates: readonly string[], mode: FilterMode): CheckedCandidate[] {
    const unique = [...new Set(candidates.filter((c) => c.trim()))];
    if (mode === 'off') return unique.map((text, index) => ({ text, index, parses: true, introduced: [] }));
    const checked = unique.map((c, i) => this.check(c, i));
    const score = (c: CheckedCandidate) => (c.parses ? 0 : 2) + (c.introduced.length ? 1 : 0);
    const ordered = checked.sort((a, b) => score(a) - score(b) || a.index - b.index);
    return mode === 'drop' ? ordered.filter((c) => c.parses && c.introduced.length === 0) : ordered;
  }
}
