// Held-out source for `hotpath eval completions`: code the models cannot have seen, because it was
// published after their training data. SmolLM2 (released November 2024, trained on The Stack and
// web data collected before) and Gemma 3 270M (knowledge cutoff August 2024) both predate these
// projects, which started in 2025: the Agent2Agent SDKs (Google, first released April 2025) and the
// OpenAI Agents SDK (March 2025); the pinned versions are 2026 releases. Fetched with pip and npm
// (pip download --no-deps, npm pack: nothing is installed), sha256 checked, unpacked into the
// cache outside git; the code is read, never run.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cacheDir, sha256File } from '../model/fetch';

export interface HeldOutPackage {
  registry: 'pypi' | 'npm';
  name: string;
  version: string;
  /** Month the pinned version was published, and when the project first appeared. */
  published: string;
  firstRelease: string;
  /** The file pip/npm produces and its sha256. */
  file: string;
  sha256: string;
  /** Source files to draw from (relative paths inside the unpacked package), as a pattern. */
  include: RegExp;
  exclude?: RegExp;
  language: 'python' | 'javascript';
}

export const HELD_OUT: HeldOutPackage[] = [
  { registry: 'pypi', name: 'a2a-sdk', version: '1.3.0', published: '2026-10', firstRelease: '2025-04', file: 'a2a_sdk-1.3.0-py3-none-any.whl', sha256: 'b94a73b5dc7ff1afe5f11d324480f83386a64d02b8a6b719baf013595284cc6c', include: /^a2a\/.*\.py$/, exclude: /_pb2(_grpc)?\.py$|__init__\.py$/, language: 'python' },
  { registry: 'pypi', name: 'openai-agents', version: '0.24.0', published: '2026-10', firstRelease: '2025-03', file: 'openai_agents-0.24.0-py3-none-any.whl', sha256: '18d4ac34e84ed937333ec8ce46395ed3521ffcbb0a521780a4c2eaa451467f49', include: /^agents\/.*\.py$/, exclude: /__init__\.py$/, language: 'python' },
  { registry: 'npm', name: '@a2a-js/sdk', version: '1.3.0', published: '2026', firstRelease: '2025-05', file: 'a2a-js-sdk-1.3.0.tgz', sha256: '9134ffc94fe2741170020db88d676734e00b87992b15d6d274027afbb318f3a3', include: /^package\/dist\/.*\.js$/, language: 'javascript' },
  { registry: 'npm', name: '@openai/agents-core', version: '0.20.0', published: '2026', firstRelease: '2025-03', file: 'openai-agents-core-0.20.0.tgz', sha256: 'c5c7473bb00b166e02717ae3521956543d6885914bae74263c734c53e1071049', include: /^package\/dist\/.*\.js$/, language: 'javascript' },
];

function run(cmd: string, args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, maxBuffer: 16 << 20 }, (err, _out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${(stderr || err.message).trim().slice(-600)}`)) : resolve()));
  });
}

/** The unpacked package (fetched and checked on first use). */
export async function fetchHeldOut(p: HeldOutPackage, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = join(cacheDir(env), 'held-out', `${p.name.replace(/[@/]/g, '_')}-${p.version}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  mkdirSync(join(cacheDir(env), 'held-out'), { recursive: true });
  const work = mkdtempSync(join(cacheDir(env), 'held-out', '.fetch-'));
  try {
    if (p.registry === 'pypi') await run(env.HOTPATH_PYTHON ?? 'python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--quiet', '-d', work, `${p.name}==${p.version}`]);
    else await run('npm', ['pack', `${p.name}@${p.version}`, '--silent', '--pack-destination', work]);
    const file = join(work, p.file);
    const got = await sha256File(file);
    if (got !== p.sha256) throw new Error(`${p.file}: sha256 ${got}, expected ${p.sha256}`);
    const out = join(work, 'src');
    mkdirSync(out);
    if (p.registry === 'pypi') await run(env.HOTPATH_PYTHON ?? 'python3', ['-m', 'zipfile', '-e', file, out]);
    else await run('tar', ['-xzf', file, '-C', out]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(out, dir);
    writeFileSync(join(dir, '.complete'), `${p.name} ${p.version} sha256 ${p.sha256}\n`);
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface HeldOutFile {
  package: string;
  path: string;
  language: 'python' | 'javascript';
  text: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The source files of a fetched package that fit the eval: 80–3000 lines, no minified lines. */
export function heldOutFiles(p: HeldOutPackage, dir: string): HeldOutFile[] {
  const out: HeldOutFile[] = [];
  for (const abs of walk(dir).sort()) {
    const rel = relative(dir, abs).split('\\').join('/');
    if (!p.include.test(rel) || p.exclude?.test(rel)) continue;
    if (statSync(abs).size > 400_000) continue;
    const text = readFileSync(abs, 'utf8');
    const lines = text.split('\n');
    if (lines.length < 80 || lines.length > 3000 || lines.some((l) => l.length > 400)) continue;
    out.push({ package: `${p.name} ${p.version}`, path: rel, language: p.language, text });
  }
  return out;
}
