// The input generator Hotpath writes above a Python function it cannot build inputs for (the code
// action "Add a benchmark input generator"): what was inferred is filled in, the rest is marked
// for the user to write.

import type { TypeSpec } from '../../../execution/typespec';

const LETTERS = "'abcdefghijklmnopqrstuvwxyz'";

/** A Python expression that builds a value of `t` (`top`: the argument itself, of size n). */
function expression(t: TypeSpec, top: boolean): string {
  const size = top ? 'n' : '8';
  switch (t.k) {
    case 'int':
      return top ? (t.position ? 'rng.randrange(max(n, 1))' : 'n') : 'rng.randrange(4 * n + 10)';
    case 'float':
      return top ? 'float(n)' : 'rng.random()';
    case 'str':
      return `''.join(rng.choice(${LETTERS}) for _ in range(${size}))`;
    case 'bool':
      return 'rng.random() < 0.5';
    case 'bytes':
      return `bytes(rng.randrange(256) for _ in range(${size}))`;
    case 'none':
      return 'None';
    case 'list':
      return `[${expression(t.of, false)} for _ in range(${size})]`;
    case 'vtuple':
      return `tuple(${expression(t.of, false)} for _ in range(${size}))`;
    case 'tuple':
      return `(${t.items.map((x) => expression(x, top)).join(', ')}${t.items.length === 1 ? ',' : ''})`;
    case 'set':
      return `{${expression(t.of, false)} for _ in range(${size})}`;
    case 'frozenset':
      return `frozenset(${expression(t.of, false)} for _ in range(${size}))`;
    case 'dict':
    case 'map':
      return `{${expression(t.key, false)}: ${expression(t.value, false)} for _ in range(${size})}`;
    case 'record':
      return t.attrs
        ? `SimpleNamespace(${t.fields.map((f) => `${f.name}=${expression(f.type, false)}`).join(', ')})`
        : `{${t.fields.map((f) => `${JSON.stringify(f.name)}: ${expression(f.type, false)}`).join(', ')}}`;
    case 'instance':
      return `${t.cls}(${[...t.args.map((a) => expression(a, false)), ...(t.fields ?? []).map((f) => `${f.name}=${expression(f.type, false)}`)].join(', ')})`;
    case 'fn':
      return `lambda *args: ${expression(t.returns, false)}`;
    case 'const':
      return t.value === null ? 'None' : typeof t.value === 'boolean' ? (t.value ? 'True' : 'False') : typeof t.value === 'string' ? JSON.stringify(t.value) : String(t.value);
  }
}

function usesNamespace(t: TypeSpec | undefined): boolean {
  return !!t && JSON.stringify(t).includes('"attrs":true');
}

export function pythonGeneratorStub(functionName: string, params: { name: string; type?: TypeSpec; evidence: string[] }[]): { name: string; text: string } {
  const name = `bench_input_${functionName}`;
  const lines = [`def ${name}(n, rng):`, `    """Arguments for benchmarking ${functionName} at size n (rng: a seeded random.Random)."""`];
  if (params.some((p) => usesNamespace(p.type))) lines.push('    from types import SimpleNamespace');
  for (const p of params) {
    const why = p.evidence.length ? ` (uses: ${p.evidence.slice(0, 3).join(', ')})` : '';
    if (p.type) lines.push(`    ${p.name} = ${expression(p.type, true)}${why ? `  # inferred from ${p.evidence.slice(0, 3).join(', ')}` : ''}`);
    else lines.push(`    ${p.name} = None  # Hotpath could not infer this: build a value whose size grows with n${why}`);
  }
  lines.push(`    return (${params.map((p) => p.name).join(', ')}${params.length === 1 ? ',' : ''})`);
  return { name, text: `${lines.join('\n')}\n\n\n# hotpath: bench-input ${name}\n` };
}
