// What a remote server serves, asked once per engine: the model (by id, alias or file name) from
// /v1/models, the per-slot context and the slots from llama.cpp's /props, whether /tokenize works,
// and the FIM format from the model's own vocabulary through the server (each family's markers
// tokenized with special parsing must be one token, unlike the same text without it). Never from a
// name: llama-server names a model by its file path.
import { EngineError, type FimFamily, type FimInfo, type ModelInfo } from '../engine';
import { FIM_FAMILIES, FIM_FAMILY_NAMES } from '../fim';
import type { HttpTransport } from './http';

export interface ModelEntry {
  id?: string;
  aliases?: string[];
  max_model_len?: number;
  meta?: { n_ctx?: number; n_ctx_train?: number; n_vocab?: number; n_params?: number; size?: number };
}

interface Props {
  default_generation_settings?: { n_ctx?: number };
  total_slots?: number;
  model_path?: string;
  chat_template?: string;
}

/** Whether a configured model name designates this entry: its id, an alias, or its file name. */
export function modelMatches(entry: ModelEntry, wanted: string): boolean {
  const w = wanted.trim().toLowerCase();
  const names = [entry.id ?? '', ...(entry.aliases ?? [])].map((n) => n.toLowerCase());
  const base = (n: string) => n.split(/[\\/]/).pop() ?? n;
  return names.some((n) => n === w || n === `${w}:latest` || base(n) === w || base(n).replace(/\.gguf$/, '') === w);
}

export type Tokenize = (text: string, special: boolean, model: string, signal?: AbortSignal) => Promise<number[]>;

export interface DiscoverOptions {
  /** The configured model name ('' : the first the server lists). */
  model: string;
  /** The configured context size; sessions get at most this and at most the slot's. */
  contextSize?: number;
  /** A limit the server taught by refusing a prompt. */
  learnedContext?: number;
  fimTemplate?: 'auto' | FimFamily;
  root: string;
}

export async function discoverServer(http: HttpTransport, o: DiscoverOptions, tokenize: Tokenize, signal?: AbortSignal): Promise<ModelInfo> {
  const where = http.where;
  const list = await http.json<{ data?: ModelEntry[] }>('GET', '/v1/models', undefined, signal);
  if (!list || !Array.isArray(list.data)) throw new EngineError(`${where} sent an invalid model list (no "data" array)`, 'badResponse');
  const wanted = o.model;
  const entry = wanted ? list.data.find((m) => modelMatches(m, wanted)) : list.data[0];
  if (!entry) {
    const names = list.data.flatMap((m) => [String(m.id ?? ''), ...(m.aliases ?? [])]).filter(Boolean);
    throw new EngineError(wanted ? `model "${wanted}" not found on ${where} (it serves: ${names.join(', ') || 'nothing'})` : `${where} serves no model`, 'modelNotFound');
  }
  const id = String(entry.id);
  // llama.cpp's /props: the slot context, the number of slots, the chat template
  const props = await http.json<Props>('GET', '/props', undefined, signal).catch((err: EngineError) => {
    if (err.code === 'aborted') throw err;
    return undefined;
  });
  const slotContext = props?.default_generation_settings?.n_ctx ?? entry.meta?.n_ctx ?? entry.max_model_len ?? entry.meta?.n_ctx_train;
  const train = entry.meta?.n_ctx_train ?? slotContext ?? 0;
  const limit = Math.min(...[slotContext, o.contextSize, o.learnedContext].filter((x): x is number => typeof x === 'number' && x > 0));
  const contextSize = Number.isFinite(limit) ? limit : 0;
  const tokenizer = await tokenize('hello', false, id, signal).then(
    () => true,
    (err: EngineError) => {
      if (err.code === 'aborted') throw err;
      return false;
    },
  );
  const fim = tokenizer ? await detectFim(http, o, id, tokenize, signal) : o.fimTemplate && o.fimTemplate !== 'auto' ? { family: o.fimTemplate, tokens: FIM_FAMILIES[o.fimTemplate], source: 'setting' as const, ids: {} } : undefined;
  const llamaCpp = props !== undefined && typeof props === 'object' && props.default_generation_settings !== undefined;
  const name = (props?.model_path ?? id).split(/[\\/]/).pop() ?? id;
  return {
    backend: 'remote',
    model: id,
    name,
    device: `remote: ${o.root}`,
    gpu: 'remote',
    gpuDevices: [],
    gpuLayers: 0,
    totalLayers: 0,
    contextSize,
    trainContextSize: train,
    chatTemplate: props ? Boolean(props.chat_template) : undefined,
    threads: 0,
    vocabSize: entry.meta?.n_vocab ?? 0,
    parameters: entry.meta?.n_params,
    sizeBytes: entry.meta?.size,
    fim: fim && { family: fim.family, tokens: fim.tokens, source: fim.source },
    special: { fimPrefix: fim?.ids.prefix, fimSuffix: fim?.ids.suffix, fimMiddle: fim?.ids.middle },
    server: {
      llamaCpp,
      tokenizer,
      infill: llamaCpp && fim !== undefined && fim.source !== 'setting',
      slots: props?.total_slots,
      names: [id, ...(entry.aliases ?? [])],
    },
  };
}

/** The FIM family whose three markers are single special tokens of the served model. */
async function detectFim(http: HttpTransport, o: DiscoverOptions, model: string, tokenize: Tokenize, signal?: AbortSignal): Promise<(FimInfo & { ids: { prefix?: number; suffix?: number; middle?: number } }) | undefined> {
  const override = o.fimTemplate ?? 'auto';
  const families = override !== 'auto' ? [override] : FIM_FAMILY_NAMES;
  for (const family of families) {
    const t = FIM_FAMILIES[family];
    const ids: number[] = [];
    for (const marker of [t.prefix, t.suffix, t.middle]) {
      const special = await tokenize(marker, true, model, signal);
      const plain = await tokenize(marker, false, model, signal);
      // a control token: one token with special parsing, several without
      if (special.length === 1 && !(plain.length === 1 && plain[0] === special[0])) ids.push(special[0]);
      else break;
    }
    if (ids.length === 3) return { family, tokens: t, source: override !== 'auto' ? 'setting' : 'vocabulary', ids: { prefix: ids[0], suffix: ids[1], middle: ids[2] } };
    if (override !== 'auto') {
      throw new EngineError(`hotpath.model.fimTemplate is "${override}" but the model on ${http.where} has no such FIM tokens (${t.prefix} is not one of its special tokens)`, 'unsupported');
    }
  }
  return undefined;
}
