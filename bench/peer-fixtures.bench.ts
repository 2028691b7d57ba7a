// Peer-fixture bench: the published test cases of the rules Hotpath says it covers (Ruff's perflint
// fixtures, Biome's noAccumulatingSpread / noAwaitInLoops / noDelete specs, oxc's
// no-accumulating-spread vectors, ESLint's no-await-in-loop tests), run through Hotpath, each
// disagreement listed with its classification (a defect of Hotpath, or a documented design choice)
// from bench/peer-fixtures/classification.json.
//
//   npm run bench -- peer-fixtures
//
// The peers' files are not part of this repository. bench/peer-fixtures/manifest.json pins each one
// (repository, path, commit, sha256); the bench reads them from ~/.cache/hotpath/peer-fixtures/
// (HOTPATH_PEER_FIXTURES moves it) and, when one is missing there, copies it from a checkout of the
// peer's repository: HOTPATH_PEER_REPOS=/src reads /src/<owner>/<repo> with `git show <commit>:<path>`.
// A file whose sha256 differs from the manifest is refused.
//
// What "expected" means per suite: for Ruff, the findings of Ruff itself (ruff-wasm-nodejs, the version
// in package.json, PERF rules, target py39) on the fixture file, compared line by line with Hotpath's
// finding of the rule that `covers` the code; for the snippet suites, the peer's own verdict (its
// invalid/fail cases must be flagged, its valid/pass cases must not), compared with whether Hotpath
// reports the covering rule anywhere in the snippet.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import { DocumentAnalysis } from '../server/src/analysis/document';
import { allRules, languageById } from '../server/src/languages';
import type { LanguageId } from '../server/src/analysis/rule';
import { loadParserFactory, type Parser } from '../server/src/parsing';

const HERE = join(__dirname, 'peer-fixtures');
const CACHE = process.env.HOTPATH_PEER_FIXTURES ?? join(homedir(), '.cache', 'hotpath', 'peer-fixtures');

interface Source {
  repo: string;
  path: string;
  commit: string;
  sha256: string;
  /** The cache holds the file's text from this character on (the part with the test vectors). */
  offset?: number;
}

interface Manifest {
  sources: Source[];
}

interface Classification {
  class: 'defect' | 'design';
  why: string;
  /** Set once the defect is fixed: the case agrees now, and this says what changed. */
  fixed?: string;
}

interface Case {
  id: string;
  code: string;
  expected: boolean;
  language: LanguageId;
}

interface Disagreement {
  suite: string;
  id: string;
  what: string;
  code: string;
}

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The text of a pinned peer file, from the cache or a checkout of its repository. */
function load(src: Source): string {
  const cached = join(CACHE, src.repo, src.path);
  if (!existsSync(cached)) {
    const repos = process.env.HOTPATH_PEER_REPOS;
    if (!repos) throw new Error(`${src.repo}/${src.path} is not in ${CACHE}; set HOTPATH_PEER_REPOS to a folder holding a checkout of ${src.repo} (as <owner>/<repo>)`);
    const r = spawnSync('git', ['-C', join(repos, src.repo), 'show', `${src.commit}:${src.path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`git show ${src.commit}:${src.path} in ${join(repos, src.repo)} failed: ${r.stderr}`);
    mkdirSync(dirname(cached), { recursive: true });
    writeFileSync(cached, r.stdout.slice(src.offset ?? 0));
  }
  const text = readFileSync(cached, 'utf8');
  if (sha(text) !== src.sha256) throw new Error(`${cached}: sha256 ${sha(text)} is not the pinned ${src.sha256}`);
  return text;
}

/** Biome's .jsonc specs: one case per string literal on its own line. */
function jsoncCases(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*("(?:[^"\\]|\\.)*")\s*,?\s*$/.exec(line);
    if (m) out.push(JSON.parse(m[1]) as string);
  }
  return out;
}

/** Rust string literals ("…" with escapes, r"…", r#"…"#) of `let NAME = vec![ … ];`. */
function rustVec(text: string, name: string): string[] {
  const start = text.indexOf(`let ${name} = vec![`);
  if (start < 0) throw new Error(`no \`let ${name} = vec![\``);
  const out: string[] = [];
  let i = start + `let ${name} = vec![`.length;
  while (i < text.length) {
    const c = text[i];
    if (c === ']') break;
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      continue;
    }
    if (c === 'r' && (text[i + 1] === '"' || text[i + 1] === '#')) {
      let hashes = 0;
      let j = i + 1;
      while (text[j] === '#') {
        hashes++;
        j++;
      }
      const close = '"' + '#'.repeat(hashes);
      const end = text.indexOf(close, j + 1);
      out.push(text.slice(j + 1, end));
      i = end + close.length;
      continue;
    }
    if (c === '"') {
      let s = '';
      let j = i + 1;
      for (; text[j] !== '"'; j++) {
        if (text[j] === '\\') {
          const e = text[++j];
          if (e === '\n') {
            while (/\s/.test(text[j + 1])) j++;
          } else s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        } else s += text[j];
      }
      out.push(s);
      i = j + 1;
      continue;
    }
    i++;
  }
  return out;
}

/** ESLint's RuleTester file, loaded with a stub RuleTester that records its valid and invalid cases. */
function eslintCases(text: string): { valid: string[]; invalid: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-eslint-'));
  try {
    const file = join(dir, 'tests/lib/rules/case.js');
    mkdirSync(dirname(file), { recursive: true });
    mkdirSync(join(dir, 'lib/rules'), { recursive: true });
    mkdirSync(join(dir, 'lib/rule-tester'), { recursive: true });
    writeFileSync(file, text);
    const ruleFile = /require\("\.\.\/\.\.\/\.\.\/lib\/rules\/([\w-]+)"\)/.exec(text)?.[1] ?? 'rule';
    writeFileSync(join(dir, `lib/rules/${ruleFile}.js`), 'module.exports = {};\n');
    writeFileSync(
      join(dir, 'lib/rule-tester/rule-tester.js'),
      'module.exports = class { constructor() {} run(name, rule, cases) { globalThis.__hotpathEslintCases = cases; } };\n',
    );
    createRequire(file)(file);
    const cases = (globalThis as { __hotpathEslintCases?: { valid: (string | { code: string })[]; invalid: { code: string }[] } }).__hotpathEslintCases!;
    const code = (c: string | { code: string }) => (typeof c === 'string' ? c : c.code);
    return { valid: cases.valid.map(code), invalid: cases.invalid.map(code) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function caseId(kind: string, code: string): string {
  return `${kind}-${sha(code).slice(0, 8)}`;
}

async function main(): Promise<void> {
  const manifest: Manifest = JSON.parse(readFileSync(join(HERE, 'manifest.json'), 'utf8'));
  const classification: Record<string, Classification> = JSON.parse(readFileSync(join(HERE, 'classification.json'), 'utf8')).cases;
  const source = (repo: string, pathEnd: string) => {
    const s = manifest.sources.find((x) => x.repo === repo && x.path.endsWith(pathEnd));
    if (!s) throw new Error(`manifest has no ${repo} …${pathEnd}`);
    return load(s);
  };
  const factory = await loadParserFactory('auto');
  const parsers = new Map<string, Parser>();
  const findingsOf = (language: LanguageId, code: string) => {
    const spec = languageById(language);
    let parser = parsers.get(spec.grammar);
    if (!parser) parsers.set(spec.grammar, (parser = factory.create(spec.grammar)));
    const doc = new DocumentAnalysis(spec, parser, code);
    const found = doc.findings();
    doc.dispose();
    return found;
  };
  const disagreements: Disagreement[] = [];
  const table: string[] = [];

  // Ruff: line-by-line against Ruff's own findings.
  const perfToHp = new Map<string, string>();
  for (const r of allRules()) for (const c of r.covers ?? []) if (c.startsWith('PERF')) perfToHp.set(c, r.code);
  const ws = new Workspace({ 'target-version': 'py39', lint: { select: ['PERF'] } }, PositionEncoding.Utf16);
  for (const file of ['PERF101.py', 'PERF102.py', 'PERF401.py', 'PERF402.py', 'PERF403.py']) {
    const text = source('astral-sh/ruff', `perflint/${file}`);
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const lineOf = (index: number) => starts.filter((s) => s <= index).length;
    const ruff = new Set<string>();
    for (const d of ws.check(text) as { code: string | null; start_location: { row: number } }[]) {
      if (d.code && perfToHp.has(d.code)) ruff.add(`${d.start_location.row}:${d.code}`);
    }
    const covering = new Map([...perfToHp].map(([perf, hp]) => [hp, perf]));
    const hp = new Set<string>();
    for (const f of findingsOf('python', text)) if (covering.has(f.code)) hp.add(`${lineOf(f.startIndex)}:${covering.get(f.code)}`);
    const both = [...ruff].filter((k) => hp.has(k)).length;
    const lineText = (k: string) => text.split('\n')[Number(k.split(':')[0]) - 1].trim();
    for (const k of ruff) if (!hp.has(k)) disagreements.push({ suite: 'ruff', id: `${file}:${k}:missed`, what: `Ruff reports ${k.split(':')[1]}, Hotpath does not`, code: lineText(k) });
    for (const k of hp) if (!ruff.has(k)) disagreements.push({ suite: 'ruff', id: `${file}:${k}:extra`, what: `Hotpath reports ${perfToHp.get(k.split(':')[1])}, Ruff does not`, code: lineText(k) });
    const sevs = new Map<string, number>();
    for (const f of findingsOf('python', text)) if (covering.has(f.code) && ruff.has(`${lineOf(f.startIndex)}:${covering.get(f.code)}`)) sevs.set(f.severity, (sevs.get(f.severity) ?? 0) + 1);
    table.push(`| ruff ${file} | ${ruff.size} Ruff findings | ${both} | ${ruff.size - both} missed | ${hp.size - both} extra | ${[...sevs].sort().map(([sev, n]) => `${n} ${sev}`).join(', ') || '—'} |`);
  }

  // Snippet suites: the peer's verdict per case against "Hotpath reports the covering rule".
  const snippetSuite = (suite: string, hpCode: string, cases: Case[]) => {
    let agree = 0;
    let missed = 0;
    let extra = 0;
    const severities = new Map<string, number>();
    for (const c of cases) {
      const mine = findingsOf(c.language, c.code).filter((f) => f.code === hpCode);
      const flagged = mine.length > 0;
      if (flagged && c.expected) for (const sev of new Set(mine.map((f) => f.severity))) severities.set(sev, (severities.get(sev) ?? 0) + 1);
      if (flagged === c.expected) agree++;
      else {
        if (c.expected) missed++;
        else extra++;
        disagreements.push({ suite, id: c.id, what: c.expected ? `the peer flags it, Hotpath (${hpCode}) does not` : `Hotpath (${hpCode}) flags it, the peer does not`, code: c.code });
      }
    }
    const as = [...severities].sort().map(([sev, n]) => `${n} ${sev}`).join(', ') || '—';
    table.push(`| ${suite} | ${cases.length} cases (${cases.filter((c) => c.expected).length} flagged by the peer) | ${agree} | ${missed} missed | ${extra} extra | ${as} |`);
  };
  const cases = (kind: 'valid' | 'invalid', codes: string[], language: LanguageId = 'javascript'): Case[] =>
    codes.map((code) => ({ id: caseId(kind, code), code, expected: kind === 'invalid', language }));

  snippetSuite('biome noAccumulatingSpread', 'HP202', [
    ...cases('invalid', jsoncCases(source('biomejs/biome', 'noAccumulatingSpread/invalid.jsonc'))),
    ...cases('valid', jsoncCases(source('biomejs/biome', 'noAccumulatingSpread/valid.jsonc'))),
  ]);
  const oxc = source('oxc-project/oxc', 'no_accumulating_spread.rs');
  snippetSuite('oxc no-accumulating-spread', 'HP202', [...cases('invalid', rustVec(oxc, 'fail'), 'typescript'), ...cases('valid', rustVec(oxc, 'pass'), 'typescript')]);
  const eslint = eslintCases(source('eslint/eslint', 'no-await-in-loop.js'));
  snippetSuite('eslint no-await-in-loop', 'HP204', [...cases('invalid', eslint.invalid), ...cases('valid', eslint.valid)]);
  const codeLines = (text: string) => text.split('\n').filter((l) => l.trim() && !/^\s*(\/\/|\/\*)/.test(l));
  snippetSuite('biome noAwaitInLoops', 'HP204', [
    ...cases('invalid', codeLines(source('biomejs/biome', 'noAwaitInLoops/invalid.js'))),
    ...cases('valid', codeLines(source('biomejs/biome', 'noAwaitInLoops/valid.js'))),
  ]);
  snippetSuite('biome noDelete', 'HP206', [
    ...cases('invalid', jsoncCases(source('biomejs/biome', 'noDelete/invalid.jsonc'))),
    ...cases('valid', jsoncCases(source('biomejs/biome', 'noDelete/valid.jsonc'))),
  ]);

  // The last column: the severity Hotpath gives the cases both flag (a peer's snippet at module level
  // shows no input, so a size-dependent rule reports it as information: see docs/rules-python.md).
  console.log('| suite | cases | agree | Hotpath misses | Hotpath extra | Hotpath severity where both flag |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const row of table) console.log(row);

  const counts = { defect: 0, design: 0, unclassified: 0 };
  console.log('\n| suite | case | disagreement | code | class | why |');
  console.log('|---|---|---|---|---|---|');
  for (const d of disagreements) {
    const c = classification[`${d.suite}:${d.id}`];
    counts[c?.class ?? 'unclassified']++;
    const code = d.code.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
    console.log(`| ${d.suite} | ${d.id} | ${d.what} | \`${code.length > 90 ? code.slice(0, 87) + '…' : code}\` | ${c?.class ?? '**unclassified**'} | ${c?.why ?? ''} |`);
  }
  console.log(`\n${disagreements.length} disagreements: ${counts.defect} defects, ${counts.design} design choices, ${counts.unclassified} unclassified.`);
  const fixed = Object.entries(classification).filter(([, c]) => c.fixed);
  if (fixed.length) {
    console.log(`\nDefects found by this bench and fixed since (the cases agree now):`);
    for (const [id, c] of fixed) console.log(`- ${id}: ${c.why} → ${c.fixed}`);
  }
  if (counts.unclassified) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
