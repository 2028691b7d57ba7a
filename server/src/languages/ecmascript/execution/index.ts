// How Hotpath runs a JavaScript or TypeScript function: extraction (extract.ts), bundling of the
// reduced module to CommonJS with esbuild (TypeScript transpiled, relative imports bundled,
// packages resolved at run time from the file's folder), and the Node harness (harness.ts).

import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExecutionLanguage } from '../../../execution/language';
import type { GrammarName } from '../../../parsing';
import { ExecutionError } from '../../../execution/types';
import { cjsExport, functionNode, isGenerator, params, stateNames, topLevels } from './extract';
import { JS_HARNESS } from './harness';
import { ecmascriptTypes } from './types';
import { ecmascriptNamedTypes } from './named';
import { ecmascriptGeneratorStub } from './stub';
import { inferParams } from './usage';
import { instanceExample } from './instances';

function bundle(code: string, info: { functionName: string; file?: string; language: string }): string {
  let esbuild: typeof import('esbuild');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    esbuild = require('esbuild');
  } catch {
    throw new ExecutionError('esbuild is needed to run JavaScript/TypeScript functions but could not be loaded', 'environment');
  }
  const ext = (info.file ?? '').toLowerCase();
  const loader = ext.endsWith('.tsx') ? 'tsx' : ext.endsWith('.jsx') ? 'jsx' : info.language === 'typescript' ? 'ts' : 'js';
  try {
    const out = esbuild.buildSync({
      stdin: { contents: code, resolveDir: info.file ? dirname(info.file) : process.cwd(), sourcefile: info.file ?? `source.${loader}`, loader },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      write: false,
      packages: 'external',
      logLevel: 'silent',
    });
    return out.outputFiles[0].text;
  } catch (e) {
    const msg = (e as { errors?: { text: string; location?: { line: number } }[] }).errors?.map((x) => `${x.location ? `line ${x.location.line}: ` : ''}${x.text}`).join('; ');
    throw new ExecutionError(`cannot compile ${info.functionName}: ${msg ?? (e as Error).message}`, 'load');
  }
}

const harness: ExecutionLanguage['harness'] = {
  file: 'hotpath_harness.js',
  source: JS_HARNESS,
  command(start, harnessFile, specFile) {
    if (start.metric === 'instructions') throw new ExecutionError('instruction counts are measured for Python only (a JIT makes counts for JavaScript depend on warm-up and tiering); use wall time', 'input');
    const node = start.node ?? process.execPath;
    return {
      command: node,
      args: [`--max-old-space-size=${start.limits.memoryMb}`, '--stack-size=4000', '--single-threaded-gc', harnessFile, specFile],
      env: { ELECTRON_RUN_AS_NODE: '1', UV_THREADPOOL_SIZE: '1' },
      interpreter: node,
    };
  },
  // Node (or Electron) needs its installation folder: the binary's parent's parent.
  runtime(interpreter) {
    let real = interpreter;
    try {
      real = realpathSync(interpreter);
    } catch {
      // resolved later with a message
    }
    return { readOnly: [dirname(dirname(real))], env: {} };
  },
  batchSeconds: 0.005,
  warmupSeconds: { first: 0.15, later: 0.01 },
};

/** JavaScript and TypeScript share extraction and the harness; the grammar follows the id (and .jsx/.tsx files). */
export const ecmascriptExecution = (id: GrammarName): ExecutionLanguage => ({
  name: 'JavaScript/TypeScript',
  grammar: (file) => (file && /\.(jsx|tsx)$/i.test(file) ? 'tsx' : id),
  lineComment: '//',
  types: ecmascriptTypes,
  typeAdvice: 'a type hint (TypeScript type or JSDoc @param {type})',
  isImport: (node) => node.type === 'import_statement',
  definitionGap: '\n\n',
  countsInstructions: false,
  topLevels,
  functionNode,
  params,
  inferParams,
  examples: [instanceExample],
  namedTypes: ecmascriptNamedTypes,
  generatorStub: (name, params) => ecmascriptGeneratorStub(name, params, id !== 'javascript'),
  isAsync: (fn) => fn.children.some((c) => c.type === 'async'),
  isGenerator,
  loadableCode(reduced, { functionName, file, language, top, kept }) {
    // An ESM export of the function; for a CommonJS export (`exports.f = …`) the module stays
    // CommonJS and the harness reads it from module.exports. The state getter lets the harness
    // see what a call changed in the module's top-level bindings.
    const names = kept.flatMap(stateNames);
    const getter = `() => ({ ${names.map((n) => `${JSON.stringify(n)}: ${n}`).join(', ')} })`;
    const exportLine = cjsExport(top)
      ? `module.exports.__hotpath_target = module.exports[${JSON.stringify(functionName)}]; module.exports.__hotpath_state = ${getter};`
      : `const __hotpath_state = ${getter};\nexport { ${functionName} as __hotpath_target, __hotpath_state };`;
    return bundle(reduced + '\n' + exportLine, { functionName, file, language });
  },
  harness,
});
