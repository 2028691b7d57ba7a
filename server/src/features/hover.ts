// Hover over a finding: the rule's documentation (what, why, the cost, an example and the fix).
import { MarkupKind } from 'vscode-languageserver/node';
import type { Feature } from '../featureContext';
import { ruleByCode } from '../languages';
import { positions, rangeOf, visibleFindings } from './findings';

export const feature: Feature = {
  capabilities: { hoverProvider: true },
  register(ctx) {
    ctx.connection.onHover(async (params) => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc?.analysis) return null;
      const offset = positions(doc).offsetAt(params.position);
      const hits = visibleFindings(doc, await ctx.settings.get(), ctx.log).filter((f) => f.startIndex <= offset && offset <= f.endIndex);
      if (hits.length === 0) return null;
      const sections = hits.map((f) => {
        const rule = ruleByCode(f.code);
        const head = `**${f.code}** ${f.message}`;
        return rule ? `${head}\n\n*${rule.name}* — ${rule.summary} Cost: ${rule.cost}.\n\n${rule.docs}` : head;
      });
      return {
        contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
        range: rangeOf(doc, hits[0].startIndex, hits[0].endIndex),
      };
    });
  },
};
