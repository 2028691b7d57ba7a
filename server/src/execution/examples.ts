// Inputs from calls of the function that already exist: its doctests, the project's tests, other
// call sites. The call's arguments are rebuilt by a generator the language plug-in writes (the
// statements before the call, then the arguments), with the sizes the example wrote (a literal
// list, a string, a `path_graph(4)`) scaled up to n; the report says which call it came from.
// Each source is one module of the language plug-in (languages/<lang>/execution/); this file
// asks them in order.

import { resolveInputs, type ExtractedFunction } from './extract';
import type { ExampleContext, ExampleInput, ExecutionLanguage } from './language';
import type { TypeSpec } from './typespec';
import type { ExampleDescription, InputDescription } from './types';

/** The first example the language's sources find for the function, in their order; undefined if none can be rebuilt. */
export function findExample(fn: ExtractedFunction, lang: ExecutionLanguage, ctx: ExampleContext): ExampleInput | undefined {
  for (const find of lang.examples ?? []) {
    try {
      const found = find(fn, ctx);
      if (found) return found;
    } catch {
      // An example source is a best effort: code it cannot follow leaves the function to the next source.
    }
  }
  return undefined;
}

/** One line for the report: "rebuilt from the doctest at clique.py:120: max_clique(G), scaled to n: nx.path_graph(4)". */
export function describeExample(e: ExampleDescription): string {
  const scaled = e.scaled.length ? `, scaled to n: ${e.scaled.join(', ')}` : '';
  if (e.source === 'class' && e.streamed) return `${e.call}, as its uses (.readline(), .read(), .write(), for … in) need`;
  if (e.source === 'class' && e.grown) return `${e.call} (a class with the methods its uses need), built as the workspace builds it at ${e.where} and grown through its own methods to n: ${e.scaled.join('; ')}`;
  if (e.source === 'class' && e.returned) return `${e.call} (a class of the project with the methods its uses need), returned by the project's function as called with a string at ${e.where}, the string grown to n characters: ${e.scaled.join('; ')}`;
  if (e.source === 'class' && e.constructed) return `${e.call} (a class of the project with the methods its uses need; no doctest builds it), built by its constructor, defined at ${e.where}, with generated arguments${scaled}`;
  if (e.source === 'class') return `${e.call} (a class of the project with the methods its uses need), built as in the doctest at ${e.where}${scaled}`;
  return `rebuilt from the ${e.source} at ${e.where}: ${e.call}${scaled}`;
}

/**
 * How a function's inputs are built, decided without running anything: its declared types when
 * every required parameter declares one; otherwise an existing call of it (doctest, test, call
 * site) when one can be rebuilt; otherwise the types inferred from its uses and names
 * (resolveInputs, which throws NoInputError when some parameter has none).
 */
export function chooseInputs(fn: ExtractedFunction, lang: ExecutionLanguage, ctx: ExampleContext): { example: ExampleInput } | { types: TypeSpec[]; description: InputDescription } {
  const required = fn.params.filter((p) => !p.optional);
  const declared = required.every((p) => p.annotation && p.source !== 'docstring');
  if (!declared) {
    const example = findExample(fn, lang, ctx);
    if (example) return { example };
  }
  return resolveInputs(fn, lang, ctx);
}
