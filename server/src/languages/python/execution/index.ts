// How Hotpath runs a Python function: extraction (extract.ts) and the harness (harness.ts),
// started as `python3 -u hotpath_harness.py spec.json`, or under callgrind for instruction counts.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ExecutionLanguage, Runtime } from '../../../execution/language';
import { ExecutionError } from '../../../execution/types';
import { functionNode, isGenerator, params, topLevels } from './extract';
import { PYTHON_HARNESS } from './harness';
import { pythonTypes } from './types';
import { pythonGeneratorStub } from './stub';
import { inferParams } from './usage';
import { pythonNamedTypes } from './named';
import { doctestExample } from './doctests';
import { callSiteExample, testExample } from './callsites';
import { instanceExample } from './instances';
import { pythonProject } from './project';

const realPython = new Map<string, string>();
/** The interpreter binary itself (python3 is often a pyenv/asdf shim script): valgrind and the sandbox need it. */
export function resolvePython(python = 'python3'): string {
  const cached = realPython.get(python);
  if (cached) return cached;
  let exe: string;
  try {
    exe = execFileSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 10000 }).trim();
  } catch (e) {
    throw new ExecutionError(`cannot run ${python}: ${(e as Error).message.split('\n')[0]} (set hotpath.execution.python)`, 'environment');
  }
  realPython.set(python, exe);
  return exe;
}

const runtimes = new Map<string, Runtime>();
/**
 * The interpreter's prefix and import path (standard library, site-packages, the user's site
 * folder), read-only in the sandbox; PYTHONUSERBASE keeps the user's site folder found with HOME
 * moved into the run's folder.
 */
export function pythonRuntime(interpreter: string): Runtime {
  const cached = runtimes.get(interpreter);
  if (cached) return cached;
  let info: { paths: string[]; userBase: string } = { paths: [], userBase: '' };
  try {
    const script = 'import sys, site, json; print(json.dumps({"paths": [sys.prefix, sys.base_prefix, sys.exec_prefix] + sys.path, "userBase": site.getuserbase()}))';
    info = JSON.parse(execFileSync(interpreter, ['-c', script], { encoding: 'utf8', timeout: 10000 }));
  } catch {
    // a broken interpreter fails later with its own message
  }
  const runtime: Runtime = {
    readOnly: info.paths.filter((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)),
    env: info.userBase && existsSync(info.userBase) ? { PYTHONUSERBASE: info.userBase } : {},
  };
  runtimes.set(interpreter, runtime);
  return runtime;
}

export const pythonExecution: ExecutionLanguage = {
  name: 'Python',
  grammar: () => 'python',
  lineComment: '#',
  types: pythonTypes,
  typeAdvice: 'a type hint',
  isImport: (node) => node.type === 'import_statement' || node.type === 'import_from_statement' || node.type === 'future_import_statement',
  definitionGap: '\n\n\n',
  countsInstructions: true,
  topLevels,
  functionNode,
  params: (fn) => params(fn),
  inferParams: (fn, root, ctx) => inferParams(fn, root, ctx?.file ? pythonProject(ctx.file, ctx.parse) : undefined),
  examples: [doctestExample, testExample, callSiteExample, instanceExample],
  namedTypes: pythonNamedTypes,
  generatorStub: pythonGeneratorStub,
  isAsync: (fn) => fn.children.some((c) => c.type === 'async'),
  isGenerator,
  loadableCode: (reduced) => reduced,
  harness: {
    file: 'hotpath_harness.py',
    source: PYTHON_HARNESS,
    command(start, harnessFile, specFile) {
      const env = { PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' };
      // The interpreter itself, not a pyenv/asdf shim script: the shim needs the user's home.
      const interpreter = resolvePython(start.python);
      if (start.metric === 'instructions') {
        return {
          command: 'valgrind',
          // glibc copies blocks past a threshold (~2 KB here) with `rep movsb`, which callgrind counts
          // once per byte: `list.pop(0)` on 2,048 items counted 10× its count at 1,024 and fitted O(n³).
          // Vector copies at every size keep the count proportional to the work (x86 glibc; ignored elsewhere).
          args: ['--tool=callgrind', '--callgrind-out-file=cg.out', '--dump-before=sched_yield', '--dump-instr=no', '--dump-line=no', '--compress-strings=yes', '--compress-pos=yes', '--log-file=valgrind.log', interpreter, harnessFile, specFile],
          env: { ...env, GLIBC_TUNABLES: 'glibc.cpu.x86_rep_movsb_threshold=4294967295:glibc.cpu.x86_rep_stosb_threshold=4294967295' },
          interpreter,
        };
      }
      return { command: interpreter, args: ['-u', harnessFile, specFile], env, interpreter };
    },
    runtime: pythonRuntime,
    batchSeconds: 0.002,
    warmupSeconds: { first: 0, later: 0 },
  },
};
