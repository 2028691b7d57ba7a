// A cursor that calls web-tree-sitter's WASM cursor functions directly, for snapshots.
//
// web-tree-sitter's own TreeCursor keeps the cursor's state in JavaScript and, for every property
// read or move, copies it into the runtime's transfer buffer, calls one WASM function and copies it
// back. A snapshot reads six or seven things per node, so those copies and the wrappers around them
// were half of a snapshot's time. This cursor leaves the state in the transfer buffer for the whole
// copy of a subtree and calls the same WASM functions the TreeCursor getters call, with the same
// conversions (`=== 1`, the language's name tables), so it reads exactly what TreeCursor reads
// (parser.test.ts compares them node by node on real code).
//
// It relies on two things web-tree-sitter does not document, both checked when the runtime is
// loaded (wasm.ts falls back to the TreeCursor when either is missing): the options object given to
// `Parser.init` becomes the Emscripten module (its `_ts_…` exports and `HEAPU32`), and a TreeCursor's
// state is its four numeric fields `[0]…[3]`, the same four words its functions read from and write
// to the transfer buffer. web-tree-sitter is pinned to an exact version in package.json.

import type { CopyCursor } from './syntax';

type TreeFn = (tree: number) => number;

/**
 * The WASM runtime's cursor functions a direct cursor calls (each takes the tree's address and
 * works on the cursor in the transfer buffer), held in a small object of their own: the module
 * object has hundreds of properties, and looking one up per call would cost as much as the call.
 */
export interface WasmRuntime {
  /** The memory as 32-bit words (a new view after the memory grows). */
  heap(): Uint32Array;
  /** The transfer buffer's index in `heap()`. */
  transferBuffer: number;
  gotoFirstChild: TreeFn;
  gotoNextSibling: TreeFn;
  gotoParent: TreeFn;
  typeId: TreeFn;
  isNamed: TreeFn;
  isMissing: TreeFn;
  fieldId: TreeFn;
  startIndex: TreeFn;
  endIndex: TreeFn;
}

/** The runtime behind an initialised module object, or null when it does not have what a direct cursor calls. */
export function wasmRuntimeOf(module: Record<string, unknown>): WasmRuntime | null {
  if (!(module.HEAPU32 instanceof Uint32Array) || typeof module._ts_init !== 'function') return null;
  const fn = (name: string): TreeFn | null => (typeof module[`_ts_tree_cursor_${name}_wasm`] === 'function' ? (module[`_ts_tree_cursor_${name}_wasm`] as TreeFn) : null);
  const functions = {
    gotoFirstChild: fn('goto_first_child'),
    gotoNextSibling: fn('goto_next_sibling'),
    gotoParent: fn('goto_parent'),
    typeId: fn('current_node_type_id'),
    isNamed: fn('current_node_is_named'),
    isMissing: fn('current_node_is_missing'),
    fieldId: fn('current_field_id'),
    startIndex: fn('start_index'),
    endIndex: fn('end_index'),
  };
  if (Object.values(functions).some((f) => f === null)) return null;
  return {
    heap: () => module.HEAPU32 as Uint32Array,
    // _ts_init returns the transfer buffer's address (and writes the ABI versions in its first two words).
    transferBuffer: (module._ts_init as () => number)() >>> 2,
    ...(functions as Record<keyof typeof functions, TreeFn>),
  };
}

/** The parts of web-tree-sitter's TreeCursor, Tree and Language a direct cursor reads (all but `delete` internal). */
export interface WasmTreeCursor {
  [word: number]: number;
  tree: { [0]: number; language: { types: string[]; fields: (string | null)[] } };
  delete(): void;
}

/**
 * A cursor over the subtree a web-tree-sitter cursor points at. It takes that cursor's state into
 * the transfer buffer; nothing else may call into the runtime until `delete()` (which hands the
 * state back and deletes the cursor): a snapshot copies a subtree synchronously and then deletes
 * its cursor.
 */
export class DirectCursor implements CopyCursor {
  private readonly tree: number;

  constructor(
    private readonly runtime: WasmRuntime,
    private readonly cursor: WasmTreeCursor,
  ) {
    this.tree = cursor.tree[0];
    const heap = runtime.heap();
    for (let i = 0; i < 4; i++) heap[runtime.transferBuffer + i] = cursor[i];
  }

  get nodeTypeId(): number {
    return this.runtime.typeId(this.tree);
  }

  get nodeType(): string {
    return this.cursor.tree.language.types[this.nodeTypeId] || 'ERROR';
  }

  get nodeIsNamed(): boolean {
    return this.runtime.isNamed(this.tree) === 1;
  }

  get nodeIsMissing(): boolean {
    return this.runtime.isMissing(this.tree) === 1;
  }

  get currentFieldId(): number {
    return this.runtime.fieldId(this.tree);
  }

  get currentFieldName(): string | null | undefined {
    return this.cursor.tree.language.fields[this.currentFieldId];
  }

  get startIndex(): number {
    return this.runtime.startIndex(this.tree);
  }

  get endIndex(): number {
    return this.runtime.endIndex(this.tree);
  }

  gotoFirstChild(): boolean {
    return this.runtime.gotoFirstChild(this.tree) === 1;
  }

  gotoNextSibling(): boolean {
    return this.runtime.gotoNextSibling(this.tree) === 1;
  }

  gotoParent(): boolean {
    return this.runtime.gotoParent(this.tree) === 1;
  }

  /** Hand the state back to the TreeCursor (a move may have reallocated its stack) and delete it. */
  delete(): void {
    // A new view if the memory grew since the constructor (a move allocates).
    const heap = this.runtime.heap();
    for (let i = 0; i < 4; i++) this.cursor[i] = heap[this.runtime.transferBuffer + i];
    this.cursor.delete();
  }
}
