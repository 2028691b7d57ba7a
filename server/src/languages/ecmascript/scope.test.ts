import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadWasmBackend } from '../../parsing/wasm';
import { snapshot, type ParserFactory, type SyntaxNode } from '../../parsing';
import { EMPTY_MODULE } from '../../analysis/module';
import type { UnitContext } from '../../analysis/rule';
import { ecmascriptAdapter } from './complexity';
import { EcmascriptFacts } from './facts';
import { enclosingLoops } from './loops';
import { isInvariantIn } from './mutation';
import { kindOfJsdocType } from './scope';

let factory: ParserFactory;
before(async () => {
  factory = await loadWasmBackend(['javascript', 'typescript']);
});

function parse(code: string, grammar: 'javascript' | 'typescript' = 'typescript'): SyntaxNode {
  const tree = factory.create(grammar).parse(code);
  const root = snapshot(tree.rootNode.walk(), code);
  tree.dispose();
  return root;
}

function ctxOf(root: SyntaxNode): UnitContext {
  return { language: 'typescript', source: root.source, unit: root, nodes: root.descendants(), module: EMPTY_MODULE, report() {} };
}

/** The first identifier node with this text after the marker comment `/*here*\/`. */
function at(root: SyntaxNode, name: string): SyntaxNode {
  const mark = root.source.indexOf('/*here*/');
  for (const n of root.descendants()) if (n.type === 'identifier' && n.text === name && n.startIndex > mark) return n;
  throw new Error(`no ${name}`);
}

describe('EcmascriptFacts.kindOf', () => {
  it('reads TypeScript annotations, initial values, JSDoc and shadowing', () => {
    const root = parse(`
/** @param {string[]} docs  @param {Set<string>} seen */
function f(a: number[], b: ReadonlyArray<string>, s: Set<string>, t: string, u: string[] | undefined, docs, seen) {
  let grown = ['x'];
  grown.push('y');
  const fixed = ['x', 'y'];
  let changed = [];
  changed = 'now a string';
  { const a = new Map(); /*here*/ a; b; s; t; u; docs; seen; grown; fixed; changed; }
}`);
    const facts = new EcmascriptFacts(ctxOf(root), ecmascriptAdapter);
    const kinds = ['a', 'b', 's', 't', 'u', 'docs', 'seen', 'grown', 'fixed', 'changed'].map((n) => facts.kindOf(n, at(root, n)));
    assert.deepEqual(kinds, ['map', 'list', 'set', 'str', 'list', 'list', 'set', 'list', 'tuple', 'unknown']);
  });

  it('knows the array parameter of an iteration callback, and nothing about the others', () => {
    const root = parse(`xs.filter((v, i, all) => { /*here*/ all; v; i; });`, 'javascript');
    const facts = new EcmascriptFacts(ctxOf(root), ecmascriptAdapter);
    assert.deepEqual(['all', 'v', 'i'].map((n) => facts.kindOf(n, at(root, n))), ['list', 'unknown', 'unknown']);
    assert.equal(facts.declarationOf('all', at(root, 'all'))?.iteratedArray, true);
  });

  it('maps JSDoc types', () => {
    assert.equal(kindOfJsdocType('Array.<number>'), 'list');
    assert.equal(kindOfJsdocType('string[]|undefined'), 'list');
    assert.equal(kindOfJsdocType('string|string[]'), 'unknown');
    assert.equal(kindOfJsdocType('Map<string, number>'), 'map');
  });
});

describe('loops and invariance', () => {
  it('finds statement and callback loops, and what changes in them', () => {
    const root = parse(`
function g(xs: number[], ys: number[], k: number) {
  for (const x of xs) {
    ys.forEach((y) => { /*here*/ ys; k; x; });
    ys.push(x);
  }
}`);
    const facts = new EcmascriptFacts(ctxOf(root), ecmascriptAdapter);
    const loops = enclosingLoops(at(root, 'ys'));
    assert.deepEqual(loops.map((l) => [l.kind, l.method ?? l.node.type]), [
      ['callback', 'forEach'],
      ['statement', 'for_in_statement'],
    ]);
    assert.equal(isInvariantIn(at(root, 'k'), loops[1], facts), true);
    assert.equal(isInvariantIn(at(root, 'ys'), loops[1], facts), false, 'ys is pushed to in the loop');
    assert.equal(isInvariantIn(at(root, 'x'), loops[1], facts), false, 'x is the loop variable');
    assert.equal(isInvariantIn(at(root, 'x'), loops[0], facts), true, 'x does not change inside the callback');
  });
});
