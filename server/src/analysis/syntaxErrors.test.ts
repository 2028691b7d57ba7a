// A region of valid code the grammar lacks (grammarGaps.ts) is checked by parsing a repaired copy of
// the whole file; an edit elsewhere that leaves the regions alone reuses that answer instead of
// parsing the file once more per keystroke (review 10 L7), and an edit to a region checks again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { languageForPath } from '../languages';
import type { Parser } from '../parsing';
import { loadWasmBackend } from '../parsing/wasm';
import { DocumentAnalysis } from './document';

const GAP = "export type * from './a';\n";
const body = (n: number) => Array.from({ length: 40 }, (_, i) => `export function f${i}(xs: number[]) {\n  return xs.length + ${i + n};\n}\n`).join('');

describe('syntaxErrors: the grammar-gap check', () => {
  it('parses the file once per edit, not twice, while the gap region stays the same, and checks again when the region changes', async () => {
    const spec = languageForPath('a.ts')!;
    const inner = (await loadWasmBackend(['typescript'])).create('typescript');
    let parses = 0;
    const parser: Parser = { ...inner, names: inner.names, backend: inner.backend, grammar: inner.grammar, parse: (t, old) => (parses++, inner.parse(t, old)), snapshot: (n, t, order) => inner.snapshot(n, t, order) };
    const analysis = new DocumentAnalysis(spec, parser, GAP + body(0));
    const first = analysis.syntaxErrors();
    assert.equal(first.length, 1);
    assert.equal(first[0].severity, 'information', first[0].message);
    for (let n = 1; n <= 5; n++) {
      parses = 0;
      analysis.update(GAP + body(n), 'full');
      const errors = analysis.syntaxErrors();
      assert.equal(errors[0].severity, 'information');
      assert.equal(parses, 1, `edit ${n}: the document's own parse only`);
    }
    // The region itself changes: a real syntax error now, then the construct again.
    analysis.update(GAP.replace('from', 'frm') + body(6), 'full');
    assert.equal(analysis.syntaxErrors()[0].severity, undefined, 'a syntax error is an error');
    analysis.update(GAP + body(7), 'full');
    assert.equal(analysis.syntaxErrors()[0].severity, 'information');
  });
});

// Round 14's fresh corpora: valid code the grammars misread, each beside the same construct made a
// real syntax error (which stays an error).
describe('syntaxErrors: valid code the grammar lacks, round 14 (dnstwist, logfmt, best-effort-json-parser, buntis)', () => {
  const errorsOf = async (path: string, text: string) => {
    const spec = languageForPath(path)!;
    const grammar = path.endsWith('.py') ? 'python' : path.endsWith('.ts') ? 'typescript' : 'javascript';
    const parser = (await loadWasmBackend([grammar])).create(grammar);
    return new DocumentAnalysis(spec, parser, text).syntaxErrors().map((e) => [e.severity ?? 'error', e.message] as const);
  };
  const onlyInformation = (errors: (readonly [string, string])[], construct: RegExp) => {
    assert.ok(errors.length > 0, 'the grammar misreads it');
    for (const [severity, message] of errors) {
      assert.equal(severity, 'information', message);
      assert.match(message, construct);
    }
  };

  it("reads a continuation line at column 0 inside a call's brackets in a tab-indented block (dnstwist) as valid, the blocks after it too", async () => {
    const valid = "def main(args):\n\tif args.x:\n\t\tp(1)\n\n\tp_cli(FG_RND + ST_BRI +\nr'''  _\n / \\\n''' % v + FG_RST)\n\n\tif args.y:\n\t\treturn list(map(dict, args))\n";
    onlyInformation(await errorsOf('dnstwist.py', valid), /continuation line inside brackets/);
    onlyInformation(await errorsOf('a.py', 'def f():\n    p(A +\nB)\n    return 1\n'), /continuation line/);
    onlyInformation(await errorsOf('a.py', "def f():\n    d = {'k':\nv}\n    return d\n"), /continuation line/);
    // Outside brackets Python does not join the lines: a syntax error.
    const broken = await errorsOf('a.py', 'def f():\n    x = a +\nb\n    return 1\n');
    assert.ok(broken.length > 0 && broken.every(([severity]) => severity === 'error'), JSON.stringify(broken));
  });

  it("reads a starred list in an f-string's replacement field (pyglet's png.py, round 13) as valid; an unclosed one stays an error", async () => {
    onlyInformation(await errorsOf('png.py', "def chunk(self):\n    return struct.pack(f'{self.planes,* [s[0] for s in self.rescale]}B')\n"), /f-string/);
    const broken = await errorsOf('a.py', "x = f'{a, *[1}'\n");
    assert.ok(broken.length > 0 && broken.every(([severity]) => severity === 'error'), JSON.stringify(broken));
  });

  it('reads `in_key = true` after a line with no semicolon (logfmt, best-effort-json-parser) as valid; an error on those lines stays one', async () => {
    const logfmt = "function parse(line) {\n  for (var i = 0; i < line.length; i++) {\n    if (line[i] == '=') {\n      if (debug) console.log('split')\n      //split\n      in_key = false;\n    }\n  }\n}\n";
    onlyInformation(await errorsOf('logfmt_parser.js', logfmt), /starts with `in`/);
    onlyInformation(await errorsOf('parse.ts', 'function f(buffer: string[]) {\n  let in_inline_comment = false\n  buffer.pop()\n  in_inline_comment = true\n  return in_inline_comment\n}\n'), /starts with `in`/);
    // The real error on the next line stays an error (the assumed `;` before it is the construct).
    const broken = await errorsOf('a.js', "console.log('split')\nin_key = = false;\n");
    assert.ok(broken.some(([severity, message]) => severity === 'error' && /cannot parse `=`/.test(message)), JSON.stringify(broken));
    const alone = await errorsOf('a.js', "console.log('split'\nin_key = false;\n");
    assert.ok(alone.length > 0 && alone.every(([severity]) => severity === 'error'), JSON.stringify(alone));
  });

  it("reads TypeScript declaration output's import types with `[]` or type arguments, an unnamed default export's signature and nested type arguments before a variance annotation, `export { type as interface }` as valid (a sample of the precision corpora: hyparquet, date-fns, ast-types, zod, io-ts)", async () => {
    onlyInformation(await errorsOf('constants.d.ts', "/** @type {import('../src/types.d.ts').ParquetType[]} */\nexport declare const ParquetTypes: import('../src/types.d.ts').ParquetType[];\nexport declare function iter<M extends Q>(r: R<M>): import(\"../types\").IterResultType<M>;\n"), /import type/);
    onlyInformation(await errorsOf('add.d.ts', 'export declare const add: import("./types.ts").FPFn2<\n  Date,\n  import("../fp.ts").Duration,\n  import("../fp.ts").DateArg<Date>\n>;\n'), /import type/);
    // Several regions a few lines apart, the import types between them too (date-fns's areIntervalsOverlapping.d.ts).
    const nested = 'export declare const areIntervalsOverlapping: import("./types.ts").FPFn2<\n  boolean,\n  import("../fp.ts").Interval<\n    import("../fp.ts").DateArg<Date>,\n    import("../fp.ts").DateArg<Date>\n  >,\n  import("../fp.ts").Interval<\n    import("../fp.ts").DateArg<Date>,\n    import("../fp.ts").DateArg<Date>\n  >\n>;\n';
    onlyInformation(await errorsOf('areIntervalsOverlapping.d.ts', nested), /import type/);
    onlyInformation(await errorsOf('index.d.ts', 'declare const type: number;\nexport {\n  /** @since 1.0.0 */\n  type as interface\n};\n'), /local named `type`/);
    onlyInformation(await errorsOf('babel.d.ts', 'import { Fork } from "../types";\nexport default function (fork: Fork): void;\n'), /unnamed default export/);
    onlyInformation(await errorsOf('schemas.ts', 'export interface $ZodObject<\n  /** @ts-ignore Cast variance */\n  out Shape extends Readonly<$ZodShape> = Readonly<$ZodShape>,\n  out Params extends $ZodObjectConfig = $ZodObjectConfig,\n> extends $ZodType<any, any, $ZodObjectInternals<Shape, Params>> {}\n'), /variance annotation/);
    for (const text of ["let a: import('./x').T[;\n", 'export default function (fork: Fork): void {\n']) {
      const broken = await errorsOf('a.ts', text);
      assert.ok(broken.length > 0 && broken.every(([severity]) => severity === 'error'), JSON.stringify(broken));
    }
  });

  it('keeps a real error an error when a rewrite elsewhere parses: an unclosed block at the end of a file with no final line break, an error between regions rewritten as one (review 12 B1)', async () => {
    const unclosed = (n: number) => `export function f${n}(xs: number[]) {\n  return xs.length;`;
    const ts = "export type * from './a';\n" + body(0) + unclosed(99);
    const tsErrors = await errorsOf('b6.ts', ts);
    assert.ok(tsErrors.some(([severity]) => severity === 'error'), JSON.stringify(tsErrors));
    const js = "function parse(line) {\n  if (debug) console.log('split')\n  in_key = false;\n}\n\nfunction g(xs) {\n  for (const x of xs) {\n    use(x);\n  }\n  return xs.length;";
    const jsErrors = await errorsOf('b9.js', js);
    assert.ok(jsErrors.some(([severity]) => severity === 'error'), JSON.stringify(jsErrors));
    // A missing comma between type arguments beside import types a line away.
    const dts = 'export declare const subHours: import("./types.ts").FPFn2<\n  Date\n  number,\n  import("../fp.ts").DateArg<Date>\n>;\n';
    const dtsErrors = await errorsOf('g1.d.ts', dts);
    assert.ok(dtsErrors.some(([severity]) => severity === 'error'), JSON.stringify(dtsErrors));
    // The closing `>` of the last nested type argument deleted (review 12's fuzz, date-fns): the repaired
    // parse finds the unclosed `<` on the line after the rewritten ones, an error the original parse never had.
    const unclosedArgument = 'export declare const endOfQuarterWithOptions: import("./types.ts").FPFn2<\n  Date,\n  import("../endOfQuarter.ts").EndOfQuarterOptions<Date> | undefined,\n  import("../fp.ts").DateArg<Date\n>;\n';
    const unclosedErrors = await errorsOf('m5.d.ts', unclosedArgument);
    assert.ok(unclosedErrors.some(([severity]) => severity === 'error'), JSON.stringify(unclosedErrors));
    onlyInformation(await errorsOf('m5.d.ts', unclosedArgument.replace('<Date\n', '<Date>\n')), /import type/);
    // The same files made valid keep their information findings.
    onlyInformation(await errorsOf('b6.ts', ts + '\n}'), /export type \*/);
    onlyInformation(await errorsOf('g1.d.ts', dts.replace('Date\n', 'Date,\n')), /import type/);
  });

  it("reads `export import X = require('./x');` (yaml-ast-parser's index.ts) as valid; a broken one stays an error", async () => {
    onlyInformation(await errorsOf('index.ts', "import { load } from './loader';\nexport import YAMLException = require('./exception');\nexport { load };\n"), /exported import of a CommonJS module/);
    const broken = await errorsOf('index.ts', 'export import YAMLException = require(;\nexport function f() {}\n');
    assert.ok(broken.length > 0 && broken.every(([severity]) => severity === 'error'), JSON.stringify(broken));
  });

  it('tells each region of lines rewritten as one of the constructs on its own lines only (review 12 M3)', async () => {
    const text = "export declare const ParquetTypes: import('../src/types.d.ts').ParquetType[];\nexport interface $ZodObject<\n  out Shape extends Readonly<$ZodShape> = Readonly<$ZodShape>,\n> extends $ZodType<any> {}\n";
    const errors = await errorsOf('mixed.d.ts', text);
    assert.equal(errors.length, 2, JSON.stringify(errors));
    onlyInformation(errors.slice(0, 1), /^not read: an import type [^;]*is valid code/);
    onlyInformation(errors.slice(1), /^not read: a variance annotation [^;]*is valid code/);
    for (const [, message] of errors) assert.doesNotMatch(message, /\) and an? /, message);
  });

  it('reads `abstract?: boolean;` in an interface, an object type and a class (buntis) as valid', async () => {
    onlyInformation(await errorsOf('estree.ts', 'export interface ClassDeclaration {\n  superClass?: string | null;\n  abstract?: boolean;\n  declare?: boolean;\n}\ntype T = { abstract: number };\nclass C {\n  abstract?: boolean;\n}\n'), /`abstract` as a property name/);
    const broken = await errorsOf('a.ts', 'interface A {\n  abstract?: ;\n}\n');
    assert.ok(broken.length > 0 && broken.every(([severity]) => severity === 'error'), JSON.stringify(broken));
  });
});
