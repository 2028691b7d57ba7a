// What the nodes of the functions' bodies tell the size lookups (sizes.ts): the assignments and
// growth of names (the adapter's `facts`) and the targets of loops and comprehensions, node by node
// in pre-order. Shared by the walkers of one estimate, so that each node is asked once: each
// function's walk reads the facts of its whole body, nested functions included, and a function
// nested d deep was asked d + 1 times when every walker walked its own body (issue 18).
import type { SyntaxNode } from '../parsing';
import type { ComplexityAdapter, Construct, Fact, FunctionShape } from './adapter';
import type { Deadline } from './deadline';

/** A node that tells something: its facts (perhaps none) and the loop or comprehension it is (or null). */
export interface NodeFacts {
  readonly node: SyntaxNode;
  readonly facts: readonly Fact[];
  readonly loop: Extract<Construct, { kind: 'loop' } | { kind: 'comprehension' }> | null;
}

export class BodyFacts {
  /** The nodes that tell something under each walked body statement, its own included, in pre-order. */
  private readonly kept = new Map<SyntaxNode, readonly NodeFacts[]>();
  /** The body statements of the functions: the subtrees kept (a nested function's are inside its outer one's). */
  private readonly statements = new Set<SyntaxNode>();

  constructor(
    private readonly a: ComplexityAdapter,
    shapes: readonly FunctionShape[],
    /** Constructs by node, shared with the walkers. */
    private readonly constructs: Map<SyntaxNode, Construct | null>,
    private readonly deadline: Deadline,
  ) {
    for (const shape of shapes) for (const stmt of shape.body) this.statements.add(stmt);
  }

  /**
   * The nodes under a body statement (itself included) that tell something, in the order of its
   * `descendants()` (pre-order). One iterative walk: a body statement of
   * a nested function already walked is copied from what was kept; one not yet walked is walked
   * here and kept when its subtree closes (a `null` on the stack marks the close).
   */
  under(root: SyntaxNode): readonly NodeFacts[] {
    const kept = this.kept.get(root);
    if (kept) return kept;
    const out: NodeFacts[] = [];
    const open: { stmt: SyntaxNode; from: number }[] = [];
    const stack: (SyntaxNode | null)[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === null) {
        const { stmt, from } = open.pop()!;
        this.kept.set(stmt, out.slice(from));
        continue;
      }
      const done = node === root ? undefined : this.kept.get(node);
      if (done) {
        for (let i = 0; i < done.length; i++) out.push(done[i]);
        continue;
      }
      this.deadline.check();
      if (this.statements.has(node) || node === root) {
        open.push({ stmt: node, from: out.length });
        stack.push(null);
      }
      const facts = this.a.facts(node);
      const c = this.a.loopTypes.has(node.type) ? constructOf(this.a, this.constructs, node) : null; // only loopTypes can be loops or comprehensions
      const loop = c?.kind === 'loop' || c?.kind === 'comprehension' ? c : null;
      if (facts.length > 0 || loop) out.push({ node, facts, loop });
      const children = node.codeChildren;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return this.kept.get(root)!;
  }
}

/** The construct a node is, classified once per estimate (`constructs`: the estimate's, shared by its walkers). */
export function constructOf(a: ComplexityAdapter, constructs: Map<SyntaxNode, Construct | null>, node: SyntaxNode): Construct | null {
  let c = constructs.get(node);
  if (c === undefined) {
    c = a.classify(node);
    constructs.set(node, c);
  }
  return c;
}
