// The facts Python rules share about one unit, built once per unit by the engine (ctx.facts).
import { UnitFacts } from '../../analysis/facts';
import type { SyntaxNode } from '../../parsing';
import { enclosingLoops } from './loops';

export class PythonFacts extends UnitFacts {
  private loopsOf: Map<SyntaxNode, readonly SyntaxNode[]> | undefined;

  /** The loops whose repeated part contains `node`, innermost first (enclosingLoops, once per node). */
  loops(node: SyntaxNode): readonly SyntaxNode[] {
    this.loopsOf ??= new Map();
    let loops = this.loopsOf.get(node);
    if (!loops) this.loopsOf.set(node, (loops = enclosingLoops(node)));
    return loops;
  }
}
