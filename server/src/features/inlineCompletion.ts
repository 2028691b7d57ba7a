// LSP 3.18 textDocument/inlineCompletion (ghost text in VS Code), served by CompletionProvider
// (completion/provider.ts) with the document's edit-aware KV session in the engine worker.
//   hotpath/completion/status  notification → CompletionStats of the last request (status bar)
// Settings: hotpath.completion.* (package.json).
import { InlineCompletionTriggerKind, Range, type CancellationToken, type InlineCompletionItem, type InlineCompletionParams } from 'vscode-languageserver/node';
import type { Feature, ServerContext } from '../featureContext';
import { CompletionProvider, completionSettingsOf, type CompletionStats } from '../completion/provider';
import { CompletionStatusNotification } from '../protocol';
import { abortSignalOf } from './request';

function pathOf(uri: string): string {
  try {
    const p = decodeURIComponent(new URL(uri).pathname);
    return p.split('/').slice(-2).join('/') || uri;
  } catch {
    return uri;
  }
}

function describe(s: CompletionStats): string {
  const rejected = s.rejected.length ? `; ranked down/dropped: ${s.rejected.map((r) => r.reason).join(' | ')}` : '';
  return `completion (${s.source}${s.backend ? `, ${s.backend}` : ''}): ${s.latencyMs.toFixed(0)} ms, prompt ${s.promptTokens} tokens, reused ${s.reused}, evaluated ${s.evaluated}${s.reencoded ? ' (re-encoded)' : ''}, stale ${s.stale}, ${s.candidates} candidate(s), ${s.dropped} dropped${rejected}`;
}

export const feature: Feature = {
  capabilities: { inlineCompletionProvider: true },
  register(ctx: ServerContext): void {
    const service = ctx.models;
    const provider = new CompletionProvider({ engine: () => service.engine(), parsers: ctx.parsers, log: ctx.log });
    const recent = new Map<string, number>();
    let lastError = '';

    ctx.documents.onDidChangeContent((e) => {
      recent.set(e.document.uri, Date.now());
      provider.onChange(e.document.uri);
    });
    ctx.documents.onDidClose((uri) => {
      recent.delete(uri);
      void provider.onClose(uri).catch(() => undefined);
    });

    ctx.connection.languages.inlineCompletion.on(async (params: InlineCompletionParams, token: CancellationToken): Promise<InlineCompletionItem[] | null> => {
      try {
        const doc = ctx.documents.get(params.textDocument.uri);
        if (!doc || doc.skipped) return null;
        const all = await ctx.settings.get();
        const settings = completionSettingsOf(all.completion);
        const offset = doc.document.offsetAt(params.position);
        const others = [...ctx.documents.all()]
          .filter((d) => d.uri !== doc.uri && d.languageId === doc.languageId && !d.skipped)
          .sort((a, b) => (recent.get(b.uri) ?? 0) - (recent.get(a.uri) ?? 0))
          .map((d) => ({ path: pathOf(d.uri), text: d.text }));
        if (token.isCancellationRequested) return null;
        const result = await provider.provide(
          { uri: doc.uri, path: pathOf(doc.uri), text: doc.text, offset, spec: doc.spec, explicit: params.context?.triggerKind === InlineCompletionTriggerKind.Invoked, others },
          settings,
          abortSignalOf(token),
        );
        lastError = '';
        if (result.stats.source !== 'none') {
          ctx.log(describe(result.stats));
          void ctx.connection.sendNotification(CompletionStatusNotification, result.stats).catch(() => undefined);
        }
        if (!result.items.length || token.isCancellationRequested) return null;
        // the document may have changed while the model ran: only answer for the text we completed
        const now = ctx.documents.get(doc.uri);
        if (!now || now.text.slice(0, offset) !== doc.text.slice(0, offset)) return null;
        const range = Range.create(params.position, params.position);
        return result.items.map((insertText) => ({ insertText, range }));
      } catch (err) {
        // e.g. no model configured: say it once, not at every keystroke
        const message = `completion failed: ${(err as Error)?.message ?? err}`;
        if (message !== lastError) ctx.log(message);
        lastError = message;
        return null;
      }
    });
  },
};
