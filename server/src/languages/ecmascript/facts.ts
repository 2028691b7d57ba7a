// The facts ECMAScript rules share about one unit, built once per unit by the engine (ctx.facts).
import { UnitFacts } from '../../analysis/facts';
import type { ValueKind } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { enclosingLoops, type Loop } from './loops';
import { assignmentsTo, type Declaration, declarationAt, declarations, isGrown, jsdocParamKind, kindOfAssigned, typedDeclaration } from './scope';
import { isConstantArrayLiteral, isFunction } from './syntax';

/** Analysis facts of one unit: declarations, the kinds of names, the loops around a node (memoised). */
export class EcmascriptFacts extends UnitFacts {
  private declsValue: Map<string, Declaration[]> | undefined;
  private readonly kinds = new Map<Declaration | string, ValueKind>();
  private loopsOf: Map<SyntaxNode, readonly Loop[]> | undefined;

  /** Every declaration in the unit, by name. */
  get decls(): Map<string, Declaration[]> {
    return (this.declsValue ??= declarations(this.ctx.nodes));
  }

  /** The loops that run `node` once per iteration, innermost first (enclosingLoops, once per node). */
  loops(node: SyntaxNode): readonly Loop[] {
    this.loopsOf ??= new Map();
    let loops = this.loopsOf.get(node);
    if (!loops) this.loopsOf.set(node, (loops = enclosingLoops(node)));
    return loops;
  }

  declarationOf(name: string, at: SyntaxNode): Declaration | null {
    return declarationAt(this.decls, name, at);
  }

  /**
   * The kind of value `name` holds at `at`: from its declaration (type annotation or initial
   * value) and every assignment to it in its scope, which must agree; or from the module's
   * top-level bindings when the unit does not declare it. A non-empty array literal that is never
   * grown is a constant-size 'tuple'.
   */
  kindOf(name: string, at: SyntaxNode): ValueKind {
    const d = this.declarationOf(name, at);
    const key = d ?? name;
    let kind = this.kinds.get(key);
    if (kind === undefined) {
      kind = this.computeKind(name, d);
      this.kinds.set(key, kind);
    }
    return kind;
  }

  private computeKind(name: string, d: Declaration | null): ValueKind {
    if (!d) {
      const kind = this.ctx.module.bindings.get(name) ?? 'unknown';
      // A top-level name reassigned in this unit to something else is unknown.
      for (const a of assignmentsTo(name, this.ctx.unit)) {
        if (a.type !== 'assignment_expression' || kindOfAssigned(a.child('right'), name, kind) !== kind) return 'unknown';
      }
      return kind;
    }
    let kind = d.kind;
    if (kind === 'unknown' && d.isParameter && isFunction(d.scope)) kind = jsdocParamKind(d.scope, name);
    if (d.declarationKind === 'const' || d.isParameter || d.declarationKind === 'function' || d.declarationKind === 'class') {
      if (d.isParameter && assignmentsTo(name, d.scope).length > 0 && !typedDeclaration(d)) return 'unknown';
    } else {
      for (const a of assignmentsTo(name, d.scope)) {
        if (a.type !== 'assignment_expression') return 'unknown';
        const k = kindOfAssigned(a.child('right'), name, kind);
        if (kind === 'unknown' && d.value === null && !typedDeclaration(d)) kind = k;
        else if (k !== kind && !(typedDeclaration(d) && k === 'unknown')) return 'unknown';
      }
    }
    if (kind === 'list' && d.value && isConstantArrayLiteral(d.value) && !isGrown(name, d.scope)) return 'tuple';
    return kind;
  }
}
