// Fill-in-the-middle prompt formats. The family is chosen from the model itself (its FIM special
// tokens as llama.cpp reports them, then its vocabulary, then its name), unless the
// `hotpath.model.fimTemplate` setting overrides it. Prompts are built as segments: the template's
// special tokens, and the user's text, which is tokenized WITHOUT special-token parsing, so code
// that happens to contain "<|fim_prefix|>" cannot hijack the prompt.
import type { FimFamily, FimInfo, FimTokens } from './engine';

export const FIM_FAMILIES: Record<FimFamily, FimTokens> = {
  qwen: {
    prefix: '<|fim_prefix|>',
    suffix: '<|fim_suffix|>',
    middle: '<|fim_middle|>',
    stop: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|fim_prefix|>', '<|im_end|>'],
    repoName: '<|repo_name|>',
    fileSep: '<|file_sep|>',
  },
  deepseek: {
    prefix: '<｜fim▁begin｜>',
    suffix: '<｜fim▁hole｜>',
    middle: '<｜fim▁end｜>',
    stop: ['<｜end▁of▁sentence｜>', '<|EOT|>', '<｜fim▁begin｜>'],
  },
  starcoder: {
    prefix: '<fim_prefix>',
    suffix: '<fim_suffix>',
    middle: '<fim_middle>',
    stop: ['<|endoftext|>', '<file_sep>', '<fim_pad>', '<fim_prefix>'],
    repoName: '<repo_name>',
    fileSep: '<file_sep>',
  },
  codellama: {
    prefix: '<PRE>',
    suffix: '<SUF>',
    middle: '<MID>',
    stop: ['<EOT>', '<PRE>'],
  },
};

export const FIM_FAMILY_NAMES = Object.keys(FIM_FAMILIES) as FimFamily[];

export function isFimFamily(value: unknown): value is FimFamily {
  return typeof value === 'string' && (FIM_FAMILY_NAMES as string[]).includes(value);
}

/** Which family a FIM prefix token belongs to ("▁<PRE>" is CodeLlama's SPM spelling). */
export function familyOfPrefixToken(token: string | null | undefined): FimFamily | undefined {
  if (!token) return undefined;
  const t = token.trim();
  for (const family of FIM_FAMILY_NAMES) {
    const p = FIM_FAMILIES[family].prefix;
    if (t === p || t === '▁' + p || t.replace(/^▁/, '') === p) return family;
  }
  return undefined;
}

export interface FimEvidence {
  /** The FIM prefix token's text as llama.cpp resolved it (metadata tokenizer.ggml.fim_pre_token_id
   *  or its built-in detection); null when the model has none. */
  prefixToken?: string | null;
  /** Whether the vocabulary has this exact special token. */
  hasToken?: (text: string) => boolean;
}

/**
 * Choose the FIM format: the setting when it names a family, else the model's own evidence (its
 * FIM token metadata, then its special tokens). Never the model's or the file's name: a name says
 * nothing about the vocabulary (llama-server names a model by its file path). Undefined: the model
 * has no FIM tokens, and completion runs in prefix-only mode.
 */
export function detectFim(evidence: FimEvidence, override: 'auto' | FimFamily = 'auto'): FimInfo | undefined {
  if (override !== 'auto' && isFimFamily(override)) return { family: override, tokens: FIM_FAMILIES[override], source: 'setting' };
  const byMeta = familyOfPrefixToken(evidence.prefixToken);
  if (byMeta) return { family: byMeta, tokens: FIM_FAMILIES[byMeta], source: 'metadata' };
  if (evidence.hasToken) {
    for (const family of FIM_FAMILY_NAMES) {
      const t = FIM_FAMILIES[family];
      if (evidence.hasToken(t.prefix) && evidence.hasToken(t.suffix) && evidence.hasToken(t.middle)) {
        return { family, tokens: t, source: 'vocabulary' };
      }
    }
  }
  return undefined;
}

/** FIM format from a GGUF file's own header (model/gguf.ts), before loading it. */
export function fimFromVocabulary(s: { specialTokens: Map<string, number>; fimIds: { prefix?: number } }, override: 'auto' | FimFamily = 'auto'): FimInfo | undefined {
  let prefixToken: string | undefined;
  if (s.fimIds.prefix !== undefined) for (const [t, id] of s.specialTokens) if (id === s.fimIds.prefix) prefixToken = t;
  return detectFim({ prefixToken, hasToken: (t) => s.specialTokens.has(t) || s.specialTokens.has('▁' + t) }, override);
}

export type PromptSegment = { special: string } | { text: string };

export interface FimRequest {
  prefix: string;
  suffix: string;
  /** Repository name and file path, for families that have markers for them. */
  repo?: string;
  path?: string;
  /** Other files as context (StarCoder2 / Qwen2.5-Coder repository format). */
  files?: { path: string; text: string }[];
}

/** The prompt as segments, prefix-suffix-middle order (what all four families were trained on). */
export function fimSegments(fim: FimInfo, req: FimRequest): PromptSegment[] {
  const t = fim.tokens;
  const out: PromptSegment[] = [];
  if (t.repoName && t.fileSep && (req.repo || req.files?.length)) {
    out.push({ special: t.repoName }, { text: `${req.repo ?? 'repo'}\n` });
    for (const f of req.files ?? []) out.push({ special: t.fileSep }, { text: `${f.path}\n${f.text}\n` });
    if (req.path) out.push({ special: t.fileSep }, { text: `${req.path}\n` });
  }
  if (fim.family === 'codellama') {
    // "<PRE> {prefix} <SUF>{suffix} <MID>" (the reference implementation's spacing)
    out.push({ special: t.prefix }, { text: ' ' + req.prefix }, { text: ' ' }, { special: t.suffix }, { text: req.suffix }, { text: ' ' }, { special: t.middle });
    return out;
  }
  out.push({ special: t.prefix }, { text: req.prefix }, { special: t.suffix }, { text: req.suffix }, { special: t.middle });
  return out;
}

/** The prompt as one string (remote servers parse the special tokens in it). */
export function fimPromptText(fim: FimInfo, req: FimRequest): string {
  return fimSegments(fim, req)
    .map((s) => ('special' in s ? s.special : s.text))
    .join('');
}

/** The prompt as tokens: special segments must be single vocabulary tokens; text is tokenized plainly. */
export async function fimPromptTokens(
  fim: FimInfo,
  req: FimRequest,
  tokenize: (text: string, special: boolean) => Promise<number[]> | number[],
  /** The model's own FIM token ids (ModelInfo.special), used in place of tokenizing the token text
   *  (CodeLlama's vocabulary spells them "▁<PRE>", …). */
  ids: { fimPrefix?: number; fimSuffix?: number; fimMiddle?: number } = {},
): Promise<number[]> {
  const out: number[] = [];
  const known = new Map<string, number | undefined>([
    [fim.tokens.prefix, ids.fimPrefix],
    [fim.tokens.suffix, ids.fimSuffix],
    [fim.tokens.middle, ids.fimMiddle],
  ]);
  for (const s of fimSegments(fim, req)) {
    if ('special' in s) {
      const id = fim.source !== 'setting' ? known.get(s.special) : undefined;
      if (id !== undefined) {
        out.push(id);
        continue;
      }
      const ids = await tokenize(s.special, true);
      if (ids.length !== 1) throw new Error(`FIM token ${s.special} is not a single token of this model (template ${fim.family})`);
      out.push(ids[0]);
    } else if (s.text) {
      out.push(...(await tokenize(s.text, false)));
    }
  }
  return out;
}
