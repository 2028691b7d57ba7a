// A plain-JavaScript snapshot of a tree-sitter subtree. Rules read these instead of the parser's
// own node objects, so that both parser backends give identical findings on identical trees and rules
// never cross into WASM while they walk.
//
// Copying is the cost that matters: every property read through a cursor crosses into the parser
// (WASM or native code), and a file has tens of thousands of nodes. So the copy reads four numbers
// per node (type id, field id, start, end) and learns the names behind the ids once per grammar
// (NodeNames); `isMissing` is read only for zero-width nodes (the only ones that can be missing),
// and row/column positions are computed from the text when someone asks for them. The WASM backend
// copies through a cursor that calls the runtime's functions directly (wasmCursor.ts): about a third
// of the time of a native-binding cursor, whose every read is an N-API call.

export interface Point {
  row: number;
  column: number;
}

/** The cursor API shared by web-tree-sitter and the native binding. */
export interface RawCursor {
  readonly nodeType: string;
  readonly nodeTypeId: number;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly currentFieldName: string | null | undefined;
  readonly currentFieldId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  /** The node under the cursor (only `hasError` is read: whether its subtree holds an ERROR or MISSING node). */
  readonly currentNode: { readonly hasError: boolean };
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** web-tree-sitter cursors hold WASM memory; the native binding's are garbage-collected. */
  delete?(): void;
}

/**
 * What a snapshot reads through a cursor: a backend's own cursor, or one that calls the WASM
 * runtime's cursor functions directly (wasmCursor.ts).
 */
export type CopyCursor = Pick<
  RawCursor,
  'nodeType' | 'nodeTypeId' | 'nodeIsNamed' | 'nodeIsMissing' | 'currentFieldName' | 'currentFieldId' | 'startIndex' | 'endIndex' | 'gotoFirstChild' | 'gotoNextSibling' | 'gotoParent' | 'delete'
>;

/**
 * The names behind a grammar's type and field ids, learnt from the cursor the first time each id is
 * met (a name is a function of its id within one grammar). One per parser, so that each file's copy
 * pays for a name once per grammar instead of once per node.
 */
export class NodeNames {
  private readonly types: (NodeTypeName | undefined)[] = [];
  private readonly fields: (string | null | undefined)[] = [];

  /** `literals`: the grammar's opaque literals (opaque.ts), whose tokens a snapshot may leave uncopied. */
  constructor(readonly literals?: OpaqueLiterals) {}

  typeAt(cursor: CopyCursor): NodeTypeName {
    const id = cursor.nodeTypeId;
    let name = this.types[id];
    if (name === undefined) {
      const type = cursor.nodeType;
      this.types[id] = name = { type, isNamed: cursor.nodeIsNamed, literal: this.literals?.types.has(type) ?? false };
    }
    return name;
  }

  fieldAt(cursor: CopyCursor): string | null {
    const id = cursor.currentFieldId;
    if (!id) return null;
    let name = this.fields[id];
    if (name === undefined) this.fields[id] = name = cursor.currentFieldName ?? null;
    return name;
  }
}

/** A node type's name; `literal`: the type of one of the grammar's opaque literals (opaque.ts). */
interface NodeTypeName {
  type: string;
  isNamed: boolean;
  literal: boolean;
}

/**
 * A grammar's opaque literals: nodes whose children are tokens of the node's own text (a string
 * literal's quotes, content and escapes), which no rule, fact or estimate reads as code. A snapshot
 * may leave those children uncopied (see SyntaxNode.codeChildren); reading them loads them.
 */
export interface OpaqueLiterals {
  /** The node types that can be opaque. */
  readonly types: ReadonlySet<string>;
  /**
   * Every node type that can appear under an opaque literal. A walk of the code does not meet these
   * there (it may elsewhere: an f-string's or a template's own tokens are walked), so no rule may visit them.
   */
  readonly inner: ReadonlySet<string>;
  /** Whether the literal of `type` starting at `start` in `text` is opaque (an f-string is not: it holds code). */
  isOpaque(type: string, start: number, text: string): boolean;
}

/**
 * Copies an opaque literal's children when they are first read: from the tree the snapshot was
 * copied from, while that tree is alive and unedited (it throws otherwise: a snapshot never answers
 * for children it does not have).
 */
export interface ChildLoader {
  /** A fresh snapshot of the node of `type` spanning [start, end) in the snapshot's tree. */
  copy(type: string, start: number, end: number): SyntaxNode;
}

/** The text a snapshot was taken from, with its line starts (built on the first position asked for). */
class SourceText {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** tree-sitter's point: rows counted by '\n', columns in UTF-16 code units (as both backends report them). */
  pointAt(index: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo] };
  }
}

/**
 * The SourceText of the last text snapshotted, for the next snapshot of the same text: a document's
 * units are snapshotted one by one, and each building the line starts of the whole text again made
 * positions cost O(units × text) per document (6% of a stdlib check).
 */
export class SourceTexts {
  private last: SourceText | undefined;

  of(text: string): SourceText {
    if (this.last?.text !== text) this.last = new SourceText(text);
    return this.last;
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

const NO_CHILDREN: readonly SyntaxNode[] = Object.freeze([]);

export class SyntaxNode {
  parent: SyntaxNode | null = null;
  /**
   * Children in order (leaves share one frozen empty array); undefined for an opaque literal whose
   * children were not copied yet. Written by the snapshot only: read `children` or `codeChildren`.
   */
  kids: readonly SyntaxNode[] | undefined = NO_CHILDREN;
  /** Where an opaque literal's children come from (null: this node is not an opaque literal). Written by the snapshot only. */
  loader: ChildLoader | null = null;
  private named: readonly SyntaxNode[] | undefined;

  constructor(
    private readonly origin: SourceText,
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    /** The field this node fills in its parent (`body`, `condition`, …), if any. */
    readonly field: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}

  /** The whole text the snapshot was taken from. */
  get source(): string {
    return this.origin.text;
  }

  get text(): string {
    return this.origin.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.origin.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.origin.pointAt(this.endIndex);
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  /**
   * Children in order. An opaque literal's (a string without interpolation; see OpaqueLiterals) are
   * copied from the parser's tree on the first read; that throws when the tree was freed or edited since
   * the snapshot was taken.
   */
  get children(): readonly SyntaxNode[] {
    return this.kids ?? this.loadChildren();
  }

  /**
   * The children a walk over the code enters: `children`, except that an opaque literal has none
   * here, whether its children were loaded or not (its quotes, content and escapes are its text, not
   * code; no rule visits their types: runRules checks). Whole-unit walks use this, so that they
   * neither load nor meet those tokens.
   */
  get codeChildren(): readonly SyntaxNode[] {
    return this.loader === null ? this.kids! : NO_CHILDREN;
  }

  /** Whether this is an opaque literal (its `codeChildren` are none; its `children` load on demand). */
  get isOpaque(): boolean {
    return this.loader !== null;
  }

  private loadChildren(): readonly SyntaxNode[] {
    const copy = this.loader!.copy(this.type, this.startIndex, this.endIndex);
    const kids = copy.children;
    for (let i = 0; i < kids.length; i++) kids[i].parent = this;
    return (this.kids = kids);
  }

  /** The named children (computed once: read-only, shared by every caller). */
  get namedChildren(): readonly SyntaxNode[] {
    if (this.named) return this.named;
    // Indexed loops here and below: these run for most nodes of every unit, and an array iterator
    // is an allocation wherever the optimiser has not removed it.
    const children = this.children;
    let all = true;
    for (let i = 0; i < children.length; i++) if (!children[i].isNamed) all = false;
    return (this.named = all ? children : children.filter((c) => c.isNamed));
  }

  /** The first child in the given field (like tree-sitter's childForFieldName). */
  child(field: string): SyntaxNode | null {
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i].field === field) return children[i];
    return null;
  }

  /** Every child in the given field. */
  childrenIn(field: string): SyntaxNode[] {
    return this.children.filter((c) => c.field === field);
  }

  /**
   * This node and every node of code under it, in pre-order (iterative: deeply nested code must not
   * overflow): the walk enters `codeChildren`, so an opaque literal is listed but not the tokens
   * inside it. An array, not a generator: a generator allocates a result object per node, and these
   * lists are walked for most units (the estimator, the unit's identifiers) — a tenth of all the
   * memory an analysis allocated.
   */
  descendants(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      out.push(node);
      const children = node.codeChildren;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return out;
  }

  /** Ancestors from the parent up to the root of the snapshot. */
  *ancestors(): IterableIterator<SyntaxNode> {
    for (let n = this.parent; n; n = n.parent) yield n;
  }

  contains(other: SyntaxNode): boolean {
    return this.startIndex <= other.startIndex && other.endIndex <= this.endIndex;
  }
}

/**
 * Copy the subtree under the cursor's current node into SyntaxNode objects. The cursor is consumed:
 * it is deleted here, because web-tree-sitter 0.27's TreeCursor finalizer passes the tree's address
 * where the cursor's belongs, so a cursor left to the garbage collector corrupts WASM memory later
 * ("memory access out of bounds" in an unrelated parse). Pass the parser's NodeNames when copying
 * many subtrees of one grammar (a fresh one learns the names again). `loader`: copy the opaque
 * literals under the root (the names' OpaqueLiterals) without their children, which it loads when
 * they are read; the caller gives one only for a subtree without ERROR or MISSING nodes. `order`: an
 * array that receives the copy's nodes as they are made, which is the root's `descendants()` (pre-order,
 * an opaque literal listed but not its tokens), so that the caller need not walk the copy for them.
 */
export function snapshot(cursor: CopyCursor, source: string, names: NodeNames = new NodeNames(), texts?: SourceTexts, loader?: ChildLoader, order?: SyntaxNode[]): SyntaxNode {
  try {
    return copySubtree(cursor, texts ? texts.of(source) : new SourceText(source), names, loader && names.literals ? { loader, literals: names.literals } : null, order ?? null);
  } finally {
    cursor.delete?.();
  }
}

function copySubtree(cursor: CopyCursor, origin: SourceText, names: NodeNames, opaque: { loader: ChildLoader; literals: OpaqueLiterals } | null, order: SyntaxNode[] | null): SyntaxNode {
  /** The node under the cursor; an opaque literal gets the loader instead of children (the walk must not enter it). */
  const make = (parent: SyntaxNode | null): SyntaxNode => {
    const { type, isNamed, literal } = names.typeAt(cursor);
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    // Only a zero-width node can be one the parser assumed (MISSING).
    const node = new SyntaxNode(origin, type, isNamed, start === end && cursor.nodeIsMissing, parent ? names.fieldAt(cursor) : null, start, end);
    node.parent = parent;
    if (literal && opaque && parent && start < end && opaque.literals.isOpaque(type, start, origin.text)) {
      node.kids = undefined;
      node.loader = opaque.loader;
    }
    // Made in pre-order: the walk below enters a node's children right after making it, and never an opaque literal's.
    order?.push(node);
    return node;
  };
  const root = make(null);
  // Iterative depth-first walk; the cursor never leaves the subtree it started on. The nodes of the
  // open levels wait in `pending` (`opened` = where each level's children begin) and each node gets
  // its children as one exactly sized array when its level closes: arrays grown by push keep spare
  // room (a tenth of a snapshot's memory, all of it for the garbage collector to copy).
  if (!cursor.gotoFirstChild()) return root;
  const pending: SyntaxNode[] = [];
  const opened: number[] = [0];
  let current = root;
  for (;;) {
    const node = make(current);
    pending.push(node);
    if (node.loader === null && cursor.gotoFirstChild()) {
      opened.push(pending.length);
      current = node;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      const from = opened.pop()!;
      current.kids = pending.slice(from);
      pending.length = from;
      if (opened.length === 0) return root;
      current = current.parent!;
    }
  }
}
