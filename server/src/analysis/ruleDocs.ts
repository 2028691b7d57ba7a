// A rule's documentation as the editor and the CLI present it: the sections of its Markdown
// (what, why, cost, example, fix), and the whole page (`hotpath rule CODE`, and the pages built into
// dist/rules/ that diagnostics link to). Rule files write their docs in one of two forms:
// `## Why` headings, or paragraphs that start with `**Why.**`; both are read here.
import type { Rule } from './rule';

export interface RuleDocSections {
  what?: string;
  why?: string;
  cost?: string;
  example?: string;
  fix?: string;
}

const KEYS: Record<string, keyof RuleDocSections> = {
  'what it does': 'what',
  what: 'what',
  why: 'why',
  cost: 'cost',
  example: 'example',
  fix: 'fix',
};

/** Split a rule's docs into its sections (text before the first section counts as `what`). */
export function ruleDocSections(docs: string): RuleDocSections {
  const out: RuleDocSections = {};
  let key: keyof RuleDocSections | undefined = 'what';
  let lines: string[] = [];
  let inCode = false;
  const flush = () => {
    const text = lines.join('\n').trim();
    if (key && text) out[key] = out[key] ? `${out[key]}\n\n${text}` : text;
    lines = [];
  };
  for (const line of docs.split('\n')) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    const heading = inCode ? null : /^#{1,4}\s+(.+?)\s*$/.exec(line);
    const label = inCode ? null : /^\*\*([A-Za-z ]+)\.\*\*\s*(.*)$/.exec(line);
    if (heading || label) {
      flush();
      // "## Why, and Hotpath's stance" is the Why section too.
      key = KEYS[(heading?.[1] ?? label![1]).toLowerCase().split(/[,:(]/)[0].trim()];
      if (label?.[2]) lines.push(label[2]);
      continue;
    }
    lines.push(line);
  }
  flush();
  return out;
}

/** The first paragraph of a section, joined onto one line (no code blocks). */
export function firstParagraph(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const block of text.split(/\n\s*\n/)) {
    if (/^\s*```/.test(block)) continue;
    const prose = block.split(/\n\s*```/)[0]; // a code block right under the text ends the paragraph
    const joined = prose.split('\n').map((l) => l.trim()).join(' ').trim();
    if (joined) return joined;
  }
  return undefined;
}

/** The first block of a section: a fenced code block as it is, or a paragraph joined onto one line. */
export function firstBlock(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const code = /^\s*(```[^\n]*\n[\s\S]*?\n\s*```)/.exec(text);
  if (code) return code[1].replace(/^\s+```/, '```');
  const prose = firstParagraph(text);
  // "… build the result once:" introduces the code block under it.
  const next = prose?.endsWith(':') ? /:\s*\n\s*(```[^\n]*\n[\s\S]*?\n\s*```)/.exec(text) : null;
  return next ? `${prose}\n${next[1]}` : prose;
}

/** Whether any fixture of the rule shows a fixed text: the rule offers a quick fix. */
export function hasQuickFix(rule: Rule): boolean {
  return rule.fixtures.some((f) => f.fixed !== undefined);
}

/** The rule's full page, in Markdown. */
export function rulePage(rule: Rule): string {
  const facts = [
    `**Languages:** ${rule.languages.join(', ')}`,
    `**Default severity:** ${rule.severity}`,
    `**Cost:** ${rule.cost}`,
    `**Quick fix:** ${!hasQuickFix(rule) ? 'no' : rule.safeFix ? 'yes; it never changes behaviour, so "Fix all" (`source.fixAll.hotpath`) and `hotpath check --fix` apply it' : 'yes, one at a time (review it: in some cases it can change behaviour, so "Fix all" leaves it out)'}`,
    ...(rule.covers?.length ? [`**Peer rules:** ${rule.covers.join(', ')}`] : []),
  ];
  return [
    `# ${rule.code} \`${rule.name}\``,
    '',
    rule.summary,
    '',
    facts.join(' · '),
    '',
    rule.docs.trim(),
    '',
    '## Silencing it',
    '',
    `On one line: a comment \`hotpath: ignore[${rule.code}]\`. In a project: \`ignore = ["${rule.code}"]\` in \`hotpath.toml\`, \`[tool.hotpath]\` of \`pyproject.toml\` or \`"hotpath"\` of \`package.json\`; in the editor: the \`hotpath.ignore\` setting.`,
    '',
  ].join('\n');
}
