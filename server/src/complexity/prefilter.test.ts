// The complexity pre-filter on real code nobody on the team wrote: the Python 3.11 standard library
// (its top-level modules) and JavaScript/TypeScript of installed npm packages. For every unit the
// pre-filter lets the complexity rules skip, the full estimator must find nothing they could report
// (every term at most linear in the inputs, no exponential term, no recursion); every node the
// adapters classify as a loop must be of a type they list in `loopTypes` (the pre-filter classifies
// only those); and a check's analysis (which skips) reports what the editor's (which does not) does.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { languageForPath, type LanguageSpec } from '../languages';
import { loadParserFactory, snapshot, type ParserFactory, type RawNode, type SyntaxNode } from '../parsing';
import { DocumentAnalysis } from '../analysis/document';
import { analyseJob } from '../analysis/job';
import { inputDegree } from './cost';
import { estimateRoots } from '.';
import { mayBeSuperlinear } from './prefilter';

const MODULES = join(__dirname, '..', '..', '..', 'node_modules');

function realFiles(): string[] {
  const stdlib = ['/root/.pyenv/versions/3.11.7/lib/python3.11', '/usr/lib/python3.11'].find((d) => existsSync(join(d, 'argparse.py')));
  const python = stdlib ? readdirSync(stdlib).filter((f) => f.endsWith('.py')).sort().map((f) => join(stdlib, f)) : [];
  const msal = join(MODULES, '@azure', 'msal-common', 'src', 'client');
  const typescript = existsSync(msal) ? readdirSync(msal).filter((f) => f.endsWith('.ts')).map((f) => join(msal, f)) : [];
  const javascript = [join(MODULES, 'acorn', 'dist', 'acorn.js'), join(MODULES, 'lodash', 'lodash.js'), join(MODULES, 'chart.js', 'dist', 'chart.js'), join(MODULES, 'semver', 'classes', 'range.js')];
  return [...python, ...javascript, ...typescript].filter(existsSync);
}

interface Unit {
  path: string;
  spec: LanguageSpec;
  node: SyntaxNode;
}

describe('complexity pre-filter on real code', () => {
  const units: Unit[] = [];
  let factory: ParserFactory;
  before(async () => {
    const files = realFiles();
    const specs = files.map((path) => languageForPath(path)!);
    factory = await loadParserFactory('auto', [...new Set(specs.map((s) => s.grammar))]);
    files.forEach((path, i) => {
      const spec = specs[i];
      const parser = factory.create(spec.grammar);
      const text = readFileSync(path, 'utf8');
      const tree = parser.parse(text);
      // The units as the analysis splits a file (DocumentAnalysis.rawUnits), without running the rules.
      const visit = (raw: RawNode) => {
        const members = spec.unitMembers(raw);
        if (members === null) units.push({ path, spec, node: snapshot(raw.walk(), text, parser.names) });
        else for (const m of members) visit(m);
      };
      for (const child of tree.rootNode.namedChildren) if (child) visit(child);
      tree.dispose();
    });
  });

  it('skips only units where the estimator finds nothing superlinear and no recursion', () => {
    const byLanguage = new Map<string, { skipped: number; kept: number; reportable: number }>();
    for (const u of units) {
      const adapter = u.spec.complexity;
      const count = byLanguage.get(u.spec.grammar) ?? { skipped: 0, kept: 0, reportable: 0 };
      byLanguage.set(u.spec.grammar, count);
      const estimates = estimateRoots(adapter, [u.node]);
      const superlinear = estimates.filter((e) => e.recursion !== null || e.cost.terms.some((t) => t.e.size > 0 || inputDegree(t) >= 2));
      if (mayBeSuperlinear(adapter, u.node.descendants())) {
        count.kept++;
        if (superlinear.length > 0) count.reportable++;
        continue;
      }
      count.skipped++;
      assert.deepEqual(
        superlinear.map((e) => `${e.name}: ${e.display}${e.recursion ? ' (recursive)' : ''}`),
        [],
        `${u.path}:${u.node.startPosition.row + 1}: skipped by the pre-filter`,
      );
    }
    // The material exercises both sides: many units skipped, and superlinear or recursive ones kept.
    for (const grammar of ['python', 'javascript']) {
      const c = byLanguage.get(grammar);
      assert.ok(c && c.skipped > 100 && c.reportable > 10, `${grammar}: ${JSON.stringify(c)}`);
    }
  });

  it('classifies as loops only node types the adapters list in loopTypes', () => {
    let loops = 0;
    for (const u of units) {
      const adapter = u.spec.complexity;
      for (const node of u.node.descendants()) {
        const c = adapter.classify(node);
        if (!c || (c.kind !== 'loop' && c.kind !== 'counted' && c.kind !== 'while' && c.kind !== 'comprehension')) continue;
        loops++;
        assert.ok(adapter.loopTypes.has(node.type), `${u.path}:${node.startPosition.row + 1}: a ${c.kind} of type ${node.type}`);
      }
    }
    assert.ok(loops > 1000, `${loops} loops`);
  });

  it('leaves the findings of a check as the editor finds them', () => {
    // The files of the material with the most complexity findings among the stdlib's, and JavaScript.
    const paths = [...new Set(units.map((u) => u.path))].filter((p) => /\/(difflib|heapq|fractions|statistics|textwrap|acorn|lodash)\.(py|js)$/.test(p));
    assert.ok(paths.length >= 5, paths.join(', '));
    let complexity = 0;
    for (const path of paths) {
      const spec = languageForPath(path)!;
      const text = readFileSync(path, 'utf8');
      const editor = new DocumentAnalysis(spec, factory.create(spec.grammar), text);
      const check = analyseJob(spec, factory.create(spec.grammar), { language: spec.id, text });
      assert.deepEqual(check.findings, editor.findings(), path);
      complexity += check.findings.filter((f) => f.code === 'HP301' || f.code === 'HP302').length;
      editor.dispose();
    }
    assert.ok(complexity > 0, 'the files have complexity findings');
  });
});
