// The attack suite (attacks.ts) against every isolation this machine offers: each attack must be
// contained or rejected with a message. On Linux at least one mechanism must work (CI installs
// bubblewrap; `unshare` needs unprivileged user namespaces). Model-written code never runs
// without isolation unless the user allows it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadParserFactory, type ParserFactory } from '../parsing';
import { ATTACKS } from './attacks';
import { languageById } from '../languages';
import { compareFunctions, ExecutionError } from './index';
import { detectIsolation, resolveExecutable } from './isolation';

let parsers: ParserFactory;
const dir = mkdtempSync(join(tmpdir(), 'hotpath-attacks-'));
before(async () => {
  parsers = await loadParserFactory('wasm');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const linux = process.platform === 'linux';
const mechanisms = (['bwrap', 'unshare'] as const).filter((k) => linux && !(detectIsolation(k) instanceof Error));

test('Linux offers an isolation mechanism (bubblewrap or unshare namespaces)', { skip: !linux && 'not Linux' }, () => {
  assert.ok(mechanisms.length > 0, `neither bubblewrap nor unshare works here: ${String(detectIsolation('bwrap'))}; ${String(detectIsolation('unshare'))}`);
  if (resolveExecutable('bwrap')) assert.ok(mechanisms.includes('bwrap'), `bwrap is installed but does not work: ${String(detectIsolation('bwrap'))}`);
  assert.equal((detectIsolation('auto') as { kind: string }).kind, mechanisms[0]);
});

for (const kind of mechanisms) {
  describe(`attacks under ${kind}`, { timeout: 600000 }, () => {
    for (const attack of ATTACKS) {
      test(`${attack.language}: ${attack.name}`, { timeout: 120000 }, async () => {
        const outcome = await attack.run({ isolation: kind, parsers, languages: languageById, dir });
        assert.ok(outcome.contained, `escaped: ${outcome.how}`);
        assert.ok(outcome.how.length > 0);
      });
    }
  });
}

test('without isolation, model-written code is refused unless the user allows it', async () => {
  const src = 'def f(xs: list[int]) -> int:\n    return len(xs)\n';
  const file = join(dir, 'refused.py');
  writeFileSync(file, src);
  const baseline = { language: 'python' as const, source: src, functionName: 'f', file };
  const candidate = { ...baseline, origin: 'model' as const };
  await assert.rejects(
    compareFunctions(baseline, candidate, { languages: languageById, parsers, isolation: 'none', budgetMs: 300 }),
    (e: unknown) => e instanceof ExecutionError && e.kind === 'isolation' && /allowUnsandboxed/.test(e.message),
  );
  const allowed = await compareFunctions(baseline, candidate, { languages: languageById, parsers, isolation: 'none', allowUnsandboxed: true, budgetMs: 300 });
  assert.equal(allowed.equivalence.equivalent, true);
  assert.equal(allowed.candidate.integrity.isolation.kind, 'none');
  assert.match(allowed.candidate.integrity.isolation.description, /NOT sandboxed/);
});
