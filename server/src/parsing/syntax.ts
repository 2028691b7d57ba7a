// A plain-JavaScript snapshot of a tree-sitter subtree. Rules read these instead of the parser's
// own node objects, so that both parser backends give identical findings by construction and rules
// never cross into WASM while they walk.

export interface Point {
  row: number;
  column: number;
}

/** The cursor API shared by web-tree-sitter and the native binding. */
export interface RawCursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly currentFieldName: string | null | undefined;
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

export class SyntaxNode {
  parent: SyntaxNode | null = null;
  readonly children: SyntaxNode[] = [];

  constructor(
    readonly source: string,
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    /** The field this node fills in its parent (`body`, `condition`, …), if any. */
    readonly field: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly startPosition: Point,
    readonly endPosition: Point,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get namedChildren(): SyntaxNode[] {
    return this.children.filter((c) => c.isNamed);
  }

  /** The first child in the given field (like tree-sitter's childForFieldName). */
  child(field: string): SyntaxNode | null {
    for (const c of this.children) if (c.field === field) return c;
    return null;
  }

  /** Every child in the given field. */
  childrenIn(field: string): SyntaxNode[] {
    return this.children.filter((c) => c.field === field);
  }

  /** Pre-order iteration over this subtree (iterative: deeply nested code must not overflow). */
  *descendants(): IterableIterator<SyntaxNode> {
    const stack: SyntaxNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      yield node;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
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
 * ("memory access out of bounds" in an unrelated parse).
 */
export function snapshot(cursor: RawCursor, source: string): SyntaxNode {
  try {
    return copySubtree(cursor, source);
  } finally {
    cursor.delete?.();
  }
}

function copySubtree(cursor: RawCursor, source: string): SyntaxNode {
  const make = (parent: SyntaxNode | null): SyntaxNode => {
    const node = new SyntaxNode(
      source,
      cursor.nodeType,
      cursor.nodeIsNamed,
      cursor.nodeIsMissing,
      parent ? cursor.currentFieldName ?? null : null,
      cursor.startIndex,
      cursor.endIndex,
      cursor.startPosition,
      cursor.endPosition,
    );
    node.parent = parent;
    parent?.children.push(node);
    return node;
  };
  const root = make(null);
  let current = root;
  // Iterative depth-first walk; the cursor never leaves the subtree it started on.
  if (!cursor.gotoFirstChild()) return root;
  let depth = 1;
  for (;;) {
    const node = make(current);
    if (cursor.gotoFirstChild()) {
      current = node;
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      depth--;
      if (depth === 0) return root;
      current = current.parent!;
    }
  }
}
