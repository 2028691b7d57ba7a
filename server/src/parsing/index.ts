import { loadNativeBackend } from './native';
import type { BackendName, ParserFactory } from './parser';
import { loadWasmBackend } from './wasm';

export * from './parser';
export { NodeNames, SyntaxNode, snapshot, type Point } from './syntax';

let wasm: Promise<ParserFactory> | undefined;

/**
 * The parser backend to use. `auto` prefers the native binding and falls back to WASM;
 * `wasm` is what the editor uses.
 */
export async function loadParserFactory(choice: BackendName | 'auto' = 'wasm'): Promise<ParserFactory> {
  if (choice !== 'wasm') {
    const native = loadNativeBackend();
    if (native.factory) return native.factory;
    if (choice === 'native') throw new Error(native.reason);
  }
  wasm ??= loadWasmBackend();
  return wasm;
}
