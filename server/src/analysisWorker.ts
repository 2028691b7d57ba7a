// A worker thread of the analysis pool (analysis/pool.ts): it loads the parsers of the grammars its
// jobs need, analyses each job it is sent (analysis/job.ts) and answers with the result. Jobs are
// handled one after the other, in the order they arrive.
import { parentPort, workerData } from 'node:worker_threads';
import { analyseJob, type AnalysisJob } from './analysis/job';
import type { WorkerSetup } from './analysis/pool';
import { languageById } from './languages';
import { loadParserFactory, type GrammarName, type Parser } from './parsing';

const setup = workerData as WorkerSetup;
const parsers = new Map<GrammarName, Promise<Parser>>();

/** The grammar's parser, loaded on its first job (a worker loads only the grammars it meets). */
function parserFor(grammar: GrammarName): Promise<Parser> {
  let p = parsers.get(grammar);
  if (!p) parsers.set(grammar, (p = loadParserFactory(setup.parser, [grammar]).then((f) => f.create(grammar))));
  return p;
}

let chain: Promise<void> = Promise.resolve();
parentPort!.on('message', (m: { id: number; job: AnalysisJob }) => {
  chain = chain.then(async () => {
    try {
      const spec = languageById(m.job.language);
      const parser = await parserFor(spec.grammar);
      parentPort!.postMessage({ id: m.id, result: analyseJob(spec, parser, m.job), backend: parser.backend });
    } catch (err) {
      parentPort!.postMessage({ id: m.id, error: String((err as Error)?.stack ?? err) });
    }
  });
});
