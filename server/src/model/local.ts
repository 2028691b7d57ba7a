// The models on this machine, for "Select Model" and `hotpath models list`: the packaged models
// (fetched or not), every GGUF file in Hotpath's cache and in the download directory, each described
// from its own header (checked: a crafted or truncated file is listed with the reason it is unusable).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGED_MODELS } from './catalog';
import { isFetched, modelPath, modelsDir } from './fetch';
import { GgufError, inspectGguf } from './gguf';
import { fimFromVocabulary } from './fim';

export interface LocalModel {
  path: string;
  /** general.name, or the file name. */
  name: string;
  bytes: number;
  /** 'packaged': a model of the catalog (fetched); 'cache': any other GGUF found. */
  source: 'packaged' | 'cache';
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

/** Packaged models that are fetched, then every other GGUF under the given directories. */
export function localModels(extraDirs: string[] = [], env: NodeJS.ProcessEnv = process.env): LocalModel[] {
  const out: LocalModel[] = [];
  const seen = new Set<string>();
  for (const m of PACKAGED_MODELS) {
    if (!isFetched(m, env)) continue;
    const p = modelPath(m, env);
    seen.add(p);
    out.push({ ...describeModelFile(p), source: 'packaged', packagedName: m.name });
  }
  for (const dir of [modelsDir(env), ...extraDirs]) {
    for (const p of ggufFiles(dir)) {
      if (seen.has(p)) continue;
      seen.add(p);
      out.push({ ...describeModelFile(p), source: 'cache' });
    }
  }
  return out;
}
