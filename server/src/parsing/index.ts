import { loadNativeBackend } from './native';
import type { BackendName, GrammarName, ParserFactory } from './parser';
import { loadWasmBackend } from './wasm';

export * from './parser';
export { NodeNames, SyntaxNode, snapshot, type Point } from './syntax';

export const ALL_GRAMMARS: readonly GrammarName[] = ['python', 'javascript', 'typescript', 'tsx'];

let wasm: Promise<ParserFactory> | undefined;

/**
 * The parser backend to use. `auto` prefers the native binding and falls back to WASM;
 * `wasm` is what the editor uses. `grammars`: load only these (the CLI loads the grammars of the
 * files it was given: loading one costs tens of milliseconds). `loadNative`: the native backend's
 * loader (tests pass one that fails, to take the fallback).
 */
export async function loadParserFactory(
  choice: BackendName | 'auto' = 'wasm',
  grammars: readonly GrammarName[] = ALL_GRAMMARS,
  loadNative: typeof loadNativeBackend = loadNativeBackend,
): Promise<ParserFactory> {
  if (choice !== 'wasm') {
    const native = loadNative(grammars);
    if (native.factory) return native.factory;
    if (choice === 'native') throw new Error(native.reason);
  }
  if (grammars !== ALL_GRAMMARS) return loadWasmBackend(grammars);
  wasm ??= loadWasmBackend();
  return wasm;
}
