// The README's promises: it starts with the two set-up commands, and its rule table is the one the
// rule files generate.
import assert from 'node:assert/strict';
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

  it('lists every rule, as generated from the rule files', () => {
    const { current, expected } = renderedReadme();
    assert.equal(current, expected, 'run `npx tsx scripts/readme-rules.ts`');
  });
});
