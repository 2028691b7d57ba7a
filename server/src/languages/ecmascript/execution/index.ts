// How Hotpath runs a JavaScript or TypeScript function: extraction (extract.ts), bundling of the
// reduced module to CommonJS with esbuild (TypeScript transpiled, relative imports bundled,
// packages resolved at run time from the file's folder), and the Node harness (harness.ts).

import { dirname } from 'node:path';
import type { ExecutionLanguage } from '../../../execution/language';
import type { GrammarName } from '../../../parsing';
import { ExecutionError } from '../../../execution/types';
import { cjsExport, functionNode, isGenerator, params, topLevels } from './extract';
import { JS_HARNESS } from './harness';
import { ecmascriptTypes } from './types';

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
    return {
      command: start.node ?? process.execPath,
      args: [`--max-old-space-size=${start.limits.memoryMb}`, '--stack-size=4000', harnessFile, specFile],
      env: { ELECTRON_RUN_AS_NODE: '1', UV_THREADPOOL_SIZE: '1' },
    };
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
  topLevels,
  functionNode,
  params,
  isAsync: (fn) => fn.children.some((c) => c.type === 'async'),
  isGenerator,
  loadableCode(reduced, { functionName, generator, file, language, top }) {
    // An ESM export of the function (and generator); for a CommonJS export (`exports.f = …`) the
    // module stays CommonJS and the harness reads it from module.exports.
    const exportLine = cjsExport(top)
      ? `module.exports.__hotpath_target = module.exports[${JSON.stringify(functionName)}];${generator ? ` module.exports.__hotpath_generator = typeof ${generator} === 'function' ? ${generator} : module.exports[${JSON.stringify(generator)}];` : ''}`
      : `export { ${functionName} as __hotpath_target${generator ? `, ${generator} as __hotpath_generator` : ''} };`;
    return bundle(reduced + '\n' + exportLine, { functionName, file, language });
  },
  harness,
});
