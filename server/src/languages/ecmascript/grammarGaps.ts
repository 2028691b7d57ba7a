// Valid JavaScript/TypeScript that tree-sitter-javascript 0.23 / tree-sitter-typescript 0.23 cannot
// read (analysis/grammarGaps.ts), each with a rewrite of the same length they can.
import type { GrammarGap } from '../../analysis/grammarGaps';

const RESERVED = 'break|case|catch|class|const|continue|debugger|default|delete|do|else|enum|export|extends|false|finally|for|function|if|import|in|instanceof|new|null|return|super|switch|this|throw|true|try|typeof|var|void|while|with';

/** `import { in as ipcoBox } from './boxes'` (mp4box): an import names an export by any IdentifierName, reserved words too. */
const reservedImportName: GrammarGap = {
  construct: 'a reserved word as the imported name (`import { in as x }`)',
  valid: 'ES2015',
  find: new RegExp(`(?<=\\bimport\\s*(?:type\\s+)?(?:[\\w$]+\\s*,\\s*)?\\{[^}]*?)\\b(?:${RESERVED})(?=\\s+as\\s+[\\w$])`, 'g'),
  patch: (m) => '_'.repeat(m.length),
};

/** `export type * from './types'` (ml-levenberg-marquardt): a type-only re-export of a whole module. */
const exportTypeStar: GrammarGap = {
  construct: '`export type * from`',
  valid: 'TypeScript 5.0',
  find: /(?<=\bexport\s+)type(?=\s*\*)/g,
  patch: (m) => ' '.repeat(m.length),
};

/** `export { ipcoBox as in }` (mp4box's chunks): an export is named by any IdentifierName, reserved words too. */
const reservedExportName: GrammarGap = {
  construct: 'a reserved word as the exported name (`export { x as in }`)',
  valid: 'ES2015',
  find: new RegExp(`(?<=\\bexport\\s*(?:type\\s+)?\\{[^}]*?\\bas\\s+)(?:${RESERVED})(?=\\s*[,}])`, 'g'),
  patch: (m) => '_'.repeat(m.length),
};

/**
 * `interface Schema<out O = unknown, in I>` (zod): variance annotations on a type parameter, which
 * TypeScript allows only on an interface, a class or a type alias (not on a function: TS1274). Only in
 * such a declaration's own `<…>` list (no parentheses or braces before the annotation, type arguments one
 * level deep: zod's `out Shape extends Readonly<$ZodShape> = …, out Params`),
 * so that `f(a, in b)` or `let a = 1, out b = 2` stays a syntax error.
 */
const varianceAnnotation: GrammarGap = {
  construct: 'a variance annotation on a type parameter (`<in T>`, `<out O>`)',
  valid: 'TypeScript 4.7',
  find: /(?<=\b(?:interface|class|type)\s+[A-Za-z_$][\w$]*\s*<(?:(?:[^<>(){};]|<[^<>(){};]*>)*,)?\s*(?:\/\*(?:[^*]|\*(?!\/))*\*\/\s*|\/\/[^\n]*\n\s*)*)(?:in\s+out|in|out)(?=\s+[A-Za-z_$][\w$]*\s*(?:[,>=]|extends\b))/g,
  patch: (m) => ' '.repeat(m.length),
};

/**
 * `in_key = true` after a line with no semicolon (logfmt, best-effort-json-parser): automatic
 * semicolon insertion ends the line before it, but the grammars' scanner takes a line that begins
 * with `in` (or `instanceof`) followed by no letter for the `in` operator continuing the line.
 */
const inPrefixedStatement: GrammarGap = {
  construct: 'a statement beginning with a name that starts with `in` (`in_key = true`) after a line with no semicolon',
  find: /(?<=\n[ \t]*)in(?:stanceof)?(?=[_$\d])/g,
  patch: (m) => '_'.repeat(m.length),
};

/** `abstract?: boolean;` (buntis's estree.ts): `abstract` as a property or method name in an interface, an object type or a class. */
const abstractPropertyName: GrammarGap = {
  construct: '`abstract` as a property name (`abstract?: boolean`)',
  valid: 'TypeScript 1.0',
  find: /(?<=[{;,\n][ \t]*(?:(?:readonly|static|declare|public|private|protected|override)\s+)*)abstract(?=\s*\??\s*[:(<])/g,
  patch: (m) => '_'.repeat(m.length),
};

/**
 * `import('./pointer.js').default<S, O>`, `import('../src/types.d.ts').ParquetType[]` (TypeScript's
 * declaration output: json-schema-ref-parser, hyparquet, date-fns, io-ts, cborg, rrule): an import
 * type whose member is followed by type arguments or `[]`. The rewrite makes `import('…')` a name.
 */
const importTypeMember: GrammarGap = {
  construct: "an import type with type arguments or `[]` (`import('./x').T<U>`, `import('./x').T[]`)",
  valid: 'TypeScript 2.9',
  find: /\bimport\s*\(\s*(['"])[^'"\n]*\1\s*\)(?=\s*\.\s*[A-Za-z_$])/g,
  patch: (m) => '_'.repeat(m.length),
};

/** `export default function (fork: Fork): void;` (ast-types' declarations): the signature of an unnamed default export. The rewrite names it. */
const defaultFunctionSignature: GrammarGap = {
  construct: 'the signature of an unnamed default export (`export default function (x: T): void;`)',
  valid: 'TypeScript 1.5',
  find: /(?<=\bexport\s+)default(\s+)function(?=\s*[(<])/g,
  patch: (m, [space = ' ']) => `function${space}_______`,
};

/** `export { type as interface }` (io-ts): a local named `type` exported under another name, which the grammar takes for a type-only export. */
const typeNamedExport: GrammarGap = {
  construct: 'a local named `type` exported under another name (`export { type as interface }`)',
  valid: 'TypeScript 1.5',
  find: /(?<=\bexport\s*\{[^}]*?)\btype(?=\s+as\s+[A-Za-z_$][\w$]*\s*[,}])/g,
  patch: (m) => '_'.repeat(m.length),
};

/** `export import YAMLException = require('./exception');` (yaml-ast-parser's index.ts): a CommonJS import, exported. The rewrite drops the `export`. */
const exportedImportRequire: GrammarGap = {
  construct: "an exported import of a CommonJS module (`export import X = require('./x')`)",
  valid: 'TypeScript 1.0',
  find: /\bexport(?=\s+import\s+[A-Za-z_$][\w$]*\s*=\s*require\s*\()/g,
  patch: (m) => ' '.repeat(m.length),
};

export function ecmascriptGrammarGaps(typescript: boolean): readonly GrammarGap[] {
  const both = [reservedImportName, reservedExportName, inPrefixedStatement];
  return typescript ? [...both, exportTypeStar, varianceAnnotation, abstractPropertyName, importTypeMember, defaultFunctionSignature, typeNamedExport, exportedImportRequire] : both;
}
