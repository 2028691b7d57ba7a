// Write the rule table (scripts/rules-table.ts) into README.md between the rules markers.
//   npx tsx scripts/readme-rules.ts          update README.md
//   npx tsx scripts/readme-rules.ts --check  exit 1 when README.md is out of date
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

export function renderedReadme(): { current: string; expected: string } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'rules-table.ts')], { cwd: root, encoding: 'utf8' }).trim();
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error('README.md has no rules markers');
  return { current: readme, expected: `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}` };
}

if (require.main === module) {
  const { current, expected } = renderedReadme();
  if (process.argv.includes('--check')) {
    if (current !== expected) {
      console.error('README.md rule table is out of date: run `npx tsx scripts/readme-rules.ts`');
      process.exit(1);
    }
  } else writeFileSync(join(root, 'README.md'), expected);
}
