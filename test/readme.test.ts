// The README's promises: it starts with the two set-up commands, what it shows the first command
// printing is what the CLI prints, and its rule table is the one the rule files generate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderedReadme } from '../scripts/readme-rules';

describe('README', () => {
  it('starts with the command that checks the examples and the command that runs the tests', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const firstBlock = readme.slice(readme.indexOf('```sh'), readme.indexOf('```', readme.indexOf('```sh') + 5));
    assert.match(firstBlock, /npm ci && npx hotpath check examples/);
    assert.match(firstBlock, /\nnpm test\b/);
  });

  it("quotes the first command's real output (each line, or its start before a `…`, and the summary)", () => {
    const root = join(__dirname, '..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const at = readme.indexOf('What the first command prints');
    const start = readme.indexOf('```\n', at) + 4;
    const quoted = readme.slice(start, readme.indexOf('```', start)).trim().split('\n').filter((l) => l !== '…');
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', 'examples', '--no-progress', '--no-cache'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const real = r.stdout.trim().split('\n');
    for (const line of quoted) {
      const cut = line.endsWith('…');
      assert.ok(real.some((x) => (cut ? x.startsWith(line.slice(0, -1)) && x.length > line.length - 1 : x === line)), `not in the output: ${line}\n${r.stdout}`);
    }
    assert.equal(quoted[quoted.length - 1], real[real.length - 1]);
  });

  it('lists every rule, as generated from the rule files', () => {
    const { current, expected } = renderedReadme();
    assert.equal(current, expected, 'run `npx tsx scripts/readme-rules.ts`');
  });
});
