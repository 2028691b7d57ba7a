// `hotpath rule CODE`: a rule's documentation, like `ruff rule`. `--all` lists every rule.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rulePage } from '../analysis/ruleDocs';
import { allRules, ruleByCode } from '../languages';
import { UsageError } from './args';
import { makeDirs } from '../analysis/makeDirs';

export const usage = `Usage: hotpath rule CODE | --all [--format text|json] | --pages DIR

Print a rule's documentation (what, why, the cost, an example and the fix), list every rule, or
write every rule's page as DIR/<CODE>.md (the pages diagnostics link to).`;

/** Write one Markdown page per rule into `dir`; returns how many. */
export function writeRulePages(dir: string): number {
  makeDirs(dir);
  const rules = allRules();
  for (const rule of rules) writeFileSync(join(dir, `${rule.code}.md`), rulePage(rule));
  return rules.length;
}

export async function run(argv: string[]): Promise<number> {
  const format = argv.includes('--format') ? argv[argv.indexOf('--format') + 1] : 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json${format ? `, not '${format}'` : ''}`);
  const json = format === 'json';
  const args = argv.filter((a, i) => a !== '--format' && argv[i - 1] !== '--format');
  if (args[0] === '--all') {
    const rules = allRules();
    if (json) console.log(JSON.stringify(rules.map(({ code, name, languages, severity, summary, cost, covers }) => ({ code, name, languages, severity, summary, cost, covers: covers ?? [] })), null, 2));
    else for (const r of rules) console.log(`${r.code}  ${r.name.padEnd(36)} ${r.languages.join(',').padEnd(30)} ${r.summary}`);
    return 0;
  }
  if (args[0] === '--pages') {
    if (!args[1]) throw new UsageError('--pages needs a directory');
    console.log(`wrote ${writeRulePages(args[1])} rule pages to ${args[1]}`);
    return 0;
  }
  if (!args[0]) throw new UsageError('which rule? (a code such as HP101, or --all)');
  const rule = ruleByCode(args[0]);
  if (!rule) {
    console.error(`hotpath rule: no rule '${args[0]}' (see \`hotpath rule --all\`)`);
    return 2;
  }
  if (json) console.log(JSON.stringify({ ...rule, check: undefined, fixtures: undefined }, null, 2));
  else console.log(rulePage(rule));
  return 0;
}
