// The input generator Hotpath writes above a JavaScript/TypeScript function it cannot build inputs
// for (the code action "Add a benchmark input generator"): what was inferred is filled in, the
// rest is marked for the user to write.

import type { TypeSpec } from '../../../execution/typespec';

const LETTERS = "'abcdefghijklmnopqrstuvwxyz'";

/** A JavaScript expression that builds a value of `t` (`top`: the argument itself, of size n). */
export function expression(t: TypeSpec, top: boolean): string {
  const size = top ? 'n' : '8';
  const many = (item: string) => `Array.from({ length: ${size} }, () => ${item})`;
  switch (t.k) {
    case 'int':
      return top ? (t.position ? 'rng.int(0, Math.max(n, 1) - 1)' : 'n') : 'rng.int(0, 4 * n + 10)';
    case 'float':
      return top ? 'n' : 'rng.random()';
    case 'str':
      return `${many(`rng.pick(${LETTERS})`)}.join('')`;
    case 'bool':
      return 'rng.random() < 0.5';
    case 'bytes':
      return `Uint8Array.from(${many('rng.int(0, 255)')})`;
    case 'none':
      return 'null';
    case 'list':
    case 'vtuple':
      return many(expression(t.of, false));
    case 'tuple':
      return `[${t.items.map((x) => expression(x, top)).join(', ')}]`;
    case 'set':
    case 'frozenset':
      return `new Set(${many(expression(t.of, false))})`;
    case 'map':
      return `new Map(${many(`[${expression(t.key, false)}, ${expression(t.value, false)}]`)})`;
    case 'dict':
      return `Object.fromEntries(${many(`[${expression(t.key, false)}, ${expression(t.value, false)}]`)})`;
    case 'record':
      return `({ ${t.fields.map((f) => `${/^[A-Za-z_$][\w$]*$/.test(f.name) ? f.name : JSON.stringify(f.name)}: ${expression(f.type, false)}`).join(', ')} })`;
    case 'instance':
      return `new ${t.cls}(${t.args.map((a) => expression(a, false)).join(', ')})`;
    case 'fn':
      return t.async ? `async () => ${expression(t.returns, false)}` : `() => ${expression(t.returns, false)}`;
    case 'const':
      return JSON.stringify(t.value);
  }
}

function camel(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `typed`: a TypeScript file (the parameters get types, so that strict mode accepts the stub). */
export function ecmascriptGeneratorStub(functionName: string, params: { name: string; type?: TypeSpec; evidence: string[] }[], typed = false): { name: string; text: string } {
  const name = `benchInput${camel(functionName)}`;
  const signature = typed ? `(n: number, rng: { random(): number; int(lo: number, hi: number): number; pick<T>(xs: ArrayLike<T>): T })` : '(n, rng)';
  const lines = [`/** Arguments for benchmarking ${functionName} at size n (rng: { random(), int(lo, hi), pick(xs) }, seeded). */`, `function ${name}${signature} {`];
  for (const p of params) {
    const why = p.evidence.length ? ` (uses: ${p.evidence.slice(0, 3).join(', ')})` : '';
    if (p.type) lines.push(`  const ${p.name} = ${expression(p.type, true)};${why ? ` // inferred from ${p.evidence.slice(0, 3).join(', ')}` : ''}`);
    else lines.push(`  const ${p.name}${typed ? ': any' : ''} = undefined; // Hotpath could not infer this: build a value whose size grows with n${why}`);
  }
  lines.push(`  return [${params.map((p) => p.name).join(', ')}];`, '}');
  return { name, text: `${lines.join('\n')}\n\n// hotpath: bench-input ${name}\n` };
}
