// How Hotpath writes complexity classes, sizes and measurements wherever a user reads them: code
// lenses and diagnostics (the static estimate writes O(n²) itself), the benchmark chart and tables,
// the CLI and Markdown reports, the titles of verified rewrites. One notation: O(n²), not O(n^2);
// measurements with three significant digits and the unit that suits each value (512 ns, 1.20 ms,
// 3.41 s), never 100.000 ms next to 500.0 ns. Bundled into the benchmark webview too: no imports.

const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', n: 'ⁿ', m: 'ᵐ', k: 'ᵏ' };

/** Code quoted in a message: on one line (every run of white space one space, so a finding stays one line of
 * the CLI's output) and cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** A complexity class as users read it: "O(n^2)" → "O(n²)", "O(2^n)" → "O(2ⁿ)". */
export function prettyClass(c: string): string {
  return c.replace(/\^([0-9]+|[nmk])/g, (_m, p: string) => [...p].map((x) => SUP[x]).join(''));
}

/** n as written in titles: 10⁵ for exact powers of ten from 1000, else the integer. */
export function formatN(n: number): string {
  if (n >= 1000) {
    const k = Math.round(Math.log10(n));
    if (10 ** k === n) return `10${String(k).replace(/\d/g, (c) => SUP[c])}`;
  }
  return String(Math.round(n));
}

export function formatSpeedup(x: number): string {
  if (!Number.isFinite(x)) return '∞×';
  return x >= 10 ? `${Math.round(x)}×` : `${x.toFixed(x >= 2 ? 1 : 2)}×`;
}

export type QuantityUnit = 's' | 'instructions';

const TIME = [
  { scale: 1, unit: 's' },
  { scale: 1e-3, unit: 'ms' },
  { scale: 1e-6, unit: 'µs' },
  { scale: 1e-9, unit: 'ns' },
];
const COUNT = [
  { scale: 1e9, unit: 'G' },
  { scale: 1e6, unit: 'M' },
  { scale: 1e3, unit: 'k' },
  { scale: 1, unit: '' },
];

function prefixFor(v: number, unit: QuantityUnit): { scale: number; unit: string } {
  const table = unit === 's' ? TIME : COUNT;
  // The largest prefix under which the value reads at least 1 (rounded to three digits first, so
  // 999.96 µs becomes 1.00 ms rather than 1000 µs).
  for (const p of table) if (Number((Math.abs(v) / p.scale).toPrecision(3)) >= 1) return p;
  return table[table.length - 1];
}

/** Three significant digits: 1.20, 45.6, 512 (integers of instructions as they are below 1000). */
function digits(x: number): string {
  if (x === 0) return '0';
  return Math.abs(x) >= 100 ? String(Math.round(x)) : x.toPrecision(3);
}

/** A time in seconds or an instruction count: "512 ns", "1.20 ms", "3.41 s", "45.6 M". */
export function formatQuantity(v: number, unit: QuantityUnit): string {
  if (!Number.isFinite(v)) return v === Infinity ? '∞' : '—';
  const p = prefixFor(v, unit);
  const value = unit === 'instructions' && p.scale === 1 ? String(Math.round(v)) : digits(v / p.scale);
  return unit === 's' ? `${value} ${p.unit}` : p.unit ? `${value} ${p.unit}` : value;
}

/** A confidence interval with one unit, the lower end's: "1.20–1.31 ms" (never wrapped in the middle of a number). */
export function formatRange(lo: number, hi: number, unit: QuantityUnit): string {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return `${formatQuantity(lo, unit)} – ${formatQuantity(hi, unit)}`;
  const p = prefixFor(lo, unit);
  const show = (x: number) => (unit === 'instructions' && p.scale === 1 ? String(Math.round(x)) : digits(x / p.scale));
  return `${show(lo)}–${show(hi)}${p.unit ? ` ${p.unit}` : ''}`;
}

/**
 * What n is in a benchmark, with the names the code lens uses (`describe` is the language's
 * ComplexityAdapter.describe: `len(xs)` in Python, `xs.length` in JavaScript): "n = len(xs) = len(ys)",
 * "n = k" (a number parameter is its own size), "n = the size given to make_input(n, rng)".
 */
export function inputSizeLegend(inputs: { kind: string; generator?: string; example?: { scaled: string[] }; params: { name: string; type: string; source?: string }[] }, describe: (kind: 'len' | 'val', name: string) => string): string {
  if (inputs.kind === 'generator') return `n = the size given to ${inputs.generator ?? 'the generator'}(n, rng)`;
  if (inputs.kind === 'example') return `n = the example's sizes scaled up (${inputs.example?.scaled.join(', ') ?? 'the call'})`;
  const scaled = inputs.params
    .filter((p) => p.source !== 'default' && !/^(bool|boolean)$/.test(p.type))
    .map((p) => describe(/^(int|float|number|bigint)$/.test(p.type) ? 'val' : 'len', p.name));
  return scaled.length ? `n = ${scaled.join(' = ')}` : 'n = input size';
}
