// package.json's contributions against the code: settings in the documented categories, every
// contributed command registered by the client (and every command the server's code actions or
// lenses name), and the walkthrough's numbers equal to the rule files'.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasQuickFix } from '../server/src/analysis/ruleDocs';
import { allRules } from '../server/src/languages';

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const read = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => readFileSync(join(ROOT, dir, f), 'utf8')).join('\n');

test('settings come in ordered categories: Checks, Code lens, Benchmarks, Model, Completions, Optimize', () => {
  const cats = pkg.contributes.configuration as { title: string; order: number; properties: Record<string, { order?: number }> }[];
  assert.deepEqual(cats.map((c) => c.title), ['Checks', 'Code lens', 'Benchmarks', 'Model', 'Completions', 'Optimize']);
  assert.deepEqual(cats.map((c) => c.order), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(Object.keys(cats[0].properties).slice(0, 3), ['hotpath.enable', 'hotpath.select', 'hotpath.ignore'], 'what users look for first, first');
  for (const c of cats) for (const [name, p] of Object.entries(c.properties)) assert.equal(typeof p.order, 'number', `${name} has an order`);
});

test('every contributed command is registered by the client, and every command the server names is contributed', () => {
  const client = read('client/src');
  const registered = new Set([...client.matchAll(/registerCommand\('([\w.]+)'/g)].map((m) => m[1]));
  const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command);
  for (const c of contributed) assert.ok(registered.has(c), `${c} is contributed but not registered`);
  const server = ['server/src/features'].map(read).join('\n');
  for (const m of server.matchAll(/command: '(hotpath\.[\w.]+)'/g)) assert.ok(registered.has(m[1]) && contributed.includes(m[1]), `${m[1]} (named by the server)`);
});

test("the walkthrough's rule numbers are the rule files'", () => {
  const rules = allRules();
  const text = readFileSync(join(ROOT, 'media', 'walkthrough', 'fixes.md'), 'utf8') + JSON.stringify(pkg.contributes.walkthroughs);
  const fixable = rules.filter(hasQuickFix).length;
  const safe = rules.filter((r) => r.safeFix).length;
  assert.match(text, new RegExp(`${fixable} of the ${rules.length} rules`));
  assert.match(text, new RegExp(`fixes of ${safe} rules never change behaviour`));
});
