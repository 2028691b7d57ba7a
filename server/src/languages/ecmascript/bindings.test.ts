// The one top-level bindings extractor: what the analysis's module summary and the benchmark
// extractor both read.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { snapshot, type ParserFactory } from '../../parsing';
import { loadWasmBackend } from '../../parsing/wasm';
import { ecmascriptBindings } from './bindings';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend(['typescript']);
});

function bindings(code: string): Record<string, string> {
  const tree = wasm.create('typescript').parse(code);
  const root = snapshot(tree.rootNode.walk(), code);
  tree.dispose();
  const out: Record<string, string> = {};
  for (const unit of root.namedChildren) for (const [k, v] of ecmascriptBindings(unit)) out[k] = v;
  return out;
}

describe('ecmascriptBindings', () => {
  it('binds imports: a namespace import is a module, default and named imports are of unknown kind', () => {
    assert.deepEqual(bindings("import * as fs from 'fs';\nimport def, { a, b as c } from 'm';\n"), { fs: 'module', def: 'unknown', a: 'unknown', c: 'unknown' });
  });
  it('binds declarations with their kinds, behind export too', () => {
    assert.deepEqual(bindings('export function f() {}\nclass K {}\nconst xs: number[] = [];\nlet s = new Set();\nconst T = [1, 2];\n'), { f: 'function', K: 'class', xs: 'list', s: 'set', T: 'tuple' });
  });
  it('binds every name of a destructuring pattern, and TypeScript types', () => {
    assert.deepEqual(bindings('const { a, b: c } = o, [d, ...e] = xs;\ntype U = number;\ninterface I {}\nenum E { A }\n'), { a: 'unknown', c: 'unknown', d: 'unknown', e: 'unknown', U: 'unknown', I: 'unknown', E: 'unknown' });
  });
  it('a CommonJS export binds no name', () => {
    assert.deepEqual(bindings('exports.f = function () {};\nmodule.exports.g = 1;\n'), {});
  });
});
