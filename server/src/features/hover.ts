// Hover over a finding: why it costs what it costs and how to fix it, once, with a link to the
// rule's page. The editor already shows the diagnostic's message above a hover, so the message is
// not repeated here; the rule's full documentation is one click away instead of in the hover.
import { MarkupKind } from 'vscode-languageserver/node';
import { firstBlock, firstParagraph, ruleDocSections } from '../analysis/ruleDocs';
import type { Finding } from '../analysis/rule';
import type { Feature } from '../featureContext';
import { ruleByCode } from '../languages';
import { positions, rangeOf, rulePageHref, visibleFindings } from './findings';

/** The hover text of one finding: the rule, why, the fix (and whether a quick fix applies here). */
export function hoverText(f: Finding): string {
  const rule = ruleByCode(f.code);
  if (!rule) return `**${f.code}**`;
  const href = rulePageHref(rule.code);
  const docs = ruleDocSections(rule.docs);
  const why = firstParagraph(docs.why) ?? firstParagraph(docs.what) ?? rule.summary;
  const fix = firstBlock(docs.fix);
  const lines = [`**${rule.code}** ${href ? `[\`${rule.name}\`](${href})` : `\`${rule.name}\``} · ${rule.cost}`, '', `**Why:** ${why}`];
  if (fix) lines.push('', fix.startsWith('```') ? `**Fix:**\n${fix}` : `**Fix:** ${fix}`);
  if (f.fix) lines.push('', `*Quick fix available:* ${f.fix.title}.`);
  return lines.join('\n');
}

export const feature: Feature = {
  capabilities: { hoverProvider: true },
  register(ctx) {
    ctx.connection.onHover(async (params) => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc?.analysis) return null;
      const offset = positions(doc).offsetAt(params.position);
      const hits = visibleFindings(doc, await ctx.settings.get(), ctx.projectSelections).filter((f) => f.startIndex <= offset && offset <= f.endIndex);
      if (hits.length === 0) return null;
      return {
        contents: { kind: MarkupKind.Markdown, value: hits.map(hoverText).join('\n\n---\n\n') },
        range: rangeOf(doc, hits[0].startIndex, hits[0].endIndex),
      };
    });
  },
};
