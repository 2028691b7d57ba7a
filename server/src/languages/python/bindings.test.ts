// The one top-level bindings extractor: what the analysis's module summary and the benchmark
// extractor both read.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { snapshot, type ParserFactory } from '../../parsing';
import { loadWasmBackend } from '../../parsing/wasm';
import { isMainGuard, pythonBindings } from './bindings';

let wasm: ParserFactory;
before(async () => {
  wasm = await loadWasmBackend(['python']);
});

function bindings(code: string): Record<string, string> {
  const tree = wasm.create('python').parse(code);
  const root = snapshot(tree.rootNode.walk(), code);
  tree.dispose();
  const out: Record<string, string> = {};
  for (const unit of root.namedChildren) for (const [k, v] of pythonBindings(unit)) out[k] = v;
  return out;
}

describe('pythonBindings', () => {
  it('binds imports: a plain import is a module, a from-import is of unknown kind', () => {
    assert.deepEqual(bindings('import os.path\nimport numpy as np\nfrom collections import deque, Counter as C\n'), { os: 'module', np: 'module', deque: 'unknown', C: 'unknown' });
  });
  it('binds defs, classes (decorated too) and assignment targets with their kinds', () => {
    assert.deepEqual(bindings('@cache\ndef f(): pass\nclass K: pass\nXS = [1]\nS: set = set()\n'), { f: 'function', K: 'class', XS: 'list', S: 'set' });
  });
  it('binds every target of chained, tuple and augmented assignments, not attributes or subscripts', () => {
    assert.deepEqual(bindings('a = b = []\nc, (d, *e) = 1, (2, 3)\nn += 1\nobj.x = 1\nt[0] = 2\n'), { a: 'list', b: 'list', c: 'unknown', d: 'unknown', e: 'unknown', n: 'number' });
  });
  it('binds names of top-level if/try/with blocks, not of functions and classes inside them', () => {
    const code = 'try:\n    import ujson as json\nexcept ImportError:\n    json = None\nif X:\n    def g(): y = 1\n    z = {}\n';
    assert.deepEqual(bindings(code), { json: 'unknown', g: 'function', z: 'dict' });
  });
  it('recognises the __main__ guard (the benchmark extractor never keeps it)', () => {
    const code = "if __name__ == '__main__':\n    main()\n";
    const tree = wasm.create('python').parse(code);
    const root = snapshot(tree.rootNode.walk(), code);
    tree.dispose();
    assert.equal(isMainGuard(root.namedChildren[0]), true);
  });
});
