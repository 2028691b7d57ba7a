// What the request handlers of the LSP features share: workspace trust, one mapping of errors to
// LSP response errors, one CancellationToken → AbortSignal, cancellable work-done progress, and the
// function a request names (a TargetRef: open document, file or source; name or cursor).
import { fileURLToPath } from 'node:url';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import { positionsOf } from '../analysis/positions';
import { MAX_NAMED_SOURCE_BYTES, readRegularText } from '../analysis/regularFile';
import type { OpenDocument } from '../documents';
import { ExecutionError, functionAt, type EngineOptions, type FunctionTarget } from '../execution';
import { isIsolationSetting } from '../execution/isolation';
import { execLanguage, languageById } from '../languages';
import type { ServerContext } from '../featureContext';
import { EngineError } from '../model/engine';
import type { TargetRef } from '../protocol';
import { positions } from './findings';

/** What a failed request carries for the client: the execution error kind or the engine error code. */
export interface RequestErrorData {
  kind?: string;
  detail?: string;
  code?: string;
}

/**
 * The response error for anything a handler throws: a ResponseError as it is; a cancellation (an
 * ExecutionError of kind `cancelled`, an EngineError `aborted`) as RequestCancelled; other
 * execution and engine errors as RequestFailed with their kind or code; anything else as an
 * internal RequestFailed prefixed with `what` ("benchmark failed: …").
 */
export function toResponseError(err: unknown, what: string): ResponseError<RequestErrorData> {
  if (err instanceof ResponseError) return err;
  if (err instanceof ExecutionError) return new ResponseError(err.kind === 'cancelled' ? LSPErrorCodes.RequestCancelled : LSPErrorCodes.RequestFailed, err.message, { kind: err.kind, detail: err.detail });
  if (err instanceof EngineError) return new ResponseError(err.code === 'aborted' ? LSPErrorCodes.RequestCancelled : LSPErrorCodes.RequestFailed, err.message, { code: err.code, kind: err.code === 'aborted' ? 'cancelled' : undefined });
  return new ResponseError(LSPErrorCodes.RequestFailed, `${what} failed: ${(err as Error)?.message ?? err}`, { kind: 'internal' });
}

/** A request whose parameters are wrong (InvalidParams). */
export function invalidParams(message: string): ResponseError<RequestErrorData> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/** Refuse to run the user's code in an untrusted workspace; `action` says what would run it. */
export function requireTrust(ctx: ServerContext, action: string): void {
  if (!ctx.isTrusted()) {
    throw new ResponseError(LSPErrorCodes.RequestFailed, `${action} runs your code: it needs a trusted workspace. In restricted mode Hotpath only analyses code (Manage Workspace Trust).`, { kind: 'untrusted' });
  }
}

/** An AbortSignal that aborts when any of the tokens is cancelled (at once if one already is). */
export function abortSignalOf(...tokens: (CancellationToken | undefined)[]): AbortSignal {
  const ac = new AbortController();
  for (const token of tokens) {
    if (!token) continue;
    if (token.isCancellationRequested) ac.abort();
    else token.onCancellationRequested(() => ac.abort());
  }
  return ac.signal;
}

/**
 * Runs `work` under a cancellable work-done progress (none when the client has no
 * window/workDoneProgress). The signal aborts when the request or the progress is cancelled.
 */
export async function withWorkDoneProgress<T>(ctx: ServerContext, title: string, token: CancellationToken | undefined, work: (signal: AbortSignal, report: (percent: number, message: string) => void) => Promise<T>): Promise<T> {
  let reporter: Awaited<ReturnType<ServerContext['connection']['window']['createWorkDoneProgress']>> | undefined;
  try {
    reporter = await ctx.connection.window.createWorkDoneProgress();
    reporter.begin(title, 0, undefined, true);
  } catch {
    reporter = undefined; // a client without window/workDoneProgress
  }
  try {
    return await work(abortSignalOf(token, reporter?.token), (percent, message) => reporter?.report(percent, message));
  } finally {
    reporter?.done();
  }
}

/** Resolve a reference to a function target (the editor's text for open documents). */
export function resolveTarget(ctx: Pick<ServerContext, 'documents' | 'parsers'>, ref: TargetRef): { target: FunctionTarget; doc?: OpenDocument } {
  let source: string;
  let file: string | undefined;
  let language = ref.language;
  let doc: OpenDocument | undefined;
  if (ref.source !== undefined) {
    source = ref.source;
    if (!language) throw invalidParams('a source string needs its language');
  } else if (ref.uri || ref.path) {
    doc = ref.uri ? ctx.documents.get(ref.uri) : undefined;
    file = ref.path ?? (ref.uri!.startsWith('file:') ? fileURLToPath(ref.uri!) : undefined);
    if (doc) source = doc.text;
    else {
      if (!file) throw invalidParams(`cannot read ${ref.uri}: not a file and not open`);
      try {
        source = readRegularText(file, MAX_NAMED_SOURCE_BYTES);
      } catch (e) {
        throw invalidParams(`cannot read ${file}: ${(e as Error).message}`);
      }
    }
    language ??= execLanguage(doc?.languageId ?? file ?? '');
    if (!language) throw invalidParams(`benchmarks run Python, JavaScript and TypeScript functions; ${file ?? ref.uri} is none of these`);
  } else throw invalidParams('no function given (uri, path or source)');
  let name = ref.functionName;
  if (!name && ref.position) {
    const offset = doc ? positions(doc).offsetAt(ref.position) : positionsOf(source).offsetAt(ref.position);
    name = functionAt(ctx.parsers, languageById(language).execution, source, offset, file)?.name;
    if (!name) throw invalidParams('the cursor is not inside a top-level function');
  }
  if (!name) throw invalidParams('no function name or position');
  return { target: { language, source, functionName: name, file }, doc };
}

/** Engine options from the `hotpath.execution.*` settings (benchmarks, compare, verified rewrites), with the language plug-ins. */
export function executionSettings(settings: Record<string, unknown>): EngineOptions {
  const ex = (settings.execution ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const isolation = isIsolationSetting(ex.isolation) ? ex.isolation : 'auto';
  return {
    languages: languageById,
    budgetMs: num(ex.budgetMs),
    metric: ex.metric === 'instructions' ? 'instructions' : 'time',
    clock: ex.clock === 'wall' ? 'wall' : 'cpu',
    python: str(ex.python),
    node: str(ex.node),
    isolation,
    allowUnsandboxed: ex.allowUnsandboxed === true,
    stabilityCheck: ex.stabilityCheck !== false,
    limits: { ...(num(ex.perCallMs) ? { perCallMs: num(ex.perCallMs) } : {}), ...(num(ex.memoryMb) ? { memoryMb: num(ex.memoryMb) } : {}) },
  };
}
