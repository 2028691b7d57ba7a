// Rule selection. Like Ruff: `select` and `ignore` take codes or prefixes (`HP1` = every Python
// rule); the project file nearest to the analysed file wins, then the editor settings apply on top.
// Project files, first found walking up from the file:
//   hotpath.toml / .hotpath.toml         (top-level keys)
//   pyproject.toml                       ([tool.hotpath])
//   package.json                         ("hotpath": { … })
import { existsSync } from 'node:fs';
import { codeList, describeValue } from './codeList';
import { MAX_CONFIG_BYTES, readRegularText } from './regularFile';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore from 'ignore';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';

export interface RuleSelection {
  select: string[];
  ignore: string[];
  /** Paths not analysed when walking directories (gitignore syntax, relative to the config file's directory). */
  exclude: string[];
  /** Where the selection came from, for messages. */
  source?: string;
  /** Values of the wrong type or form that were corrected or dropped (codeList.ts), to tell the user. */
  problems?: string[];
}

export const DEFAULT_SELECTION: RuleSelection = { select: [], ignore: [], exclude: [] };

/** `exclude`: paths; a string is one path. */
function pathList(value: unknown, name: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    problems.push(`${name} is a string; read as the list ${JSON.stringify([value])}`);
    return [value];
  }
  if (!Array.isArray(value)) {
    problems.push(`${name} is ignored: it should be a list of paths, not ${describeValue(value)}`);
    return [];
  }
  const out = value.filter((v): v is string => typeof v === 'string');
  if (out.length < value.length) problems.push(`${name}: ${value.length - out.length} item(s) that are not strings are ignored`);
  return out;
}

const KNOWN_KEYS = new Set(['select', 'ignore', 'exclude']);

function fromObject(obj: unknown, source: string): RuleSelection | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  const where = (key: string) => `${key} in ${source}`;
  const select = codeList(o.select, where('select'));
  const ignored = codeList(o.ignore, where('ignore'));
  const problems = [...select.problems, ...ignored.problems];
  const exclude = pathList(o.exclude, where('exclude'), problems);
  for (const key of Object.keys(o)) if (!KNOWN_KEYS.has(key)) problems.push(`${source}: unknown key ${JSON.stringify(key)} is ignored (Hotpath reads select, ignore and exclude)`);
  // A select whose every item was dropped would select nothing (every finding hidden): it is treated as absent.
  return { select: select.codes, ignore: ignored.codes, exclude, source, ...(problems.length ? { problems } : {}) };
}

/** Read the project config that governs `filePath`, or undefined. Errors name the file. */
export function loadProjectConfig(filePath: string): RuleSelection | undefined {
  let dir = dirname(resolve(filePath));
  for (;;) {
    for (const name of ['hotpath.toml', '.hotpath.toml']) {
      const p = join(dir, name);
      if (existsSync(p)) return fromObject(parseFile(p, () => parseToml(readRegularText(p, MAX_CONFIG_BYTES))), p);
    }
    const pyproject = join(dir, 'pyproject.toml');
    if (existsSync(pyproject)) {
      const doc = parseFile(pyproject, () => parseToml(readRegularText(pyproject, MAX_CONFIG_BYTES))) as { tool?: { hotpath?: unknown } };
      if (doc.tool?.hotpath) return fromObject(doc.tool.hotpath, pyproject);
    }
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const doc = parseFile(pkg, () => JSON.parse(readRegularText(pkg, MAX_CONFIG_BYTES))) as { hotpath?: unknown };
      if (doc.hotpath) return fromObject(doc.hotpath, pkg);
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function parseFile(path: string, parse: () => unknown): unknown {
  try {
    return parse();
  } catch (err) {
    throw new Error(`Hotpath could not read its configuration in ${path}: ${(err as Error).message}`);
  }
}

function matches(code: string, patterns: readonly string[]): boolean {
  const upper = code.toUpperCase();
  return patterns.some((p) => p.toUpperCase() === 'ALL' || upper.startsWith(p.toUpperCase()));
}

/** Is a rule code enabled? Later layers (settings, CLI flags) refine earlier ones. */
export function isEnabled(code: string, ...layers: (RuleSelection | undefined)[]): boolean {
  let enabled = true;
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.select.length > 0) enabled = matches(code, layer.select);
    if (matches(code, layer.ignore)) enabled = false;
  }
  return enabled;
}

/**
 * Is a file excluded by its project configuration? `exclude` entries use .gitignore syntax relative to
 * the directory of the file that declares them (`build/`, `vendor/**`, `*_pb2.py`).
 */
export function isExcluded(filePath: string, selection: RuleSelection): boolean {
  if (!selection.exclude.length || !selection.source) return false;
  const rel = relative(dirname(selection.source), resolve(filePath)).split(sep).join('/');
  if (!rel || rel.startsWith('..')) return false;
  return ignore().add(selection.exclude).ignores(rel);
}

/**
 * Project configuration by document, read once and kept until a configuration file changes
 * (`invalidate`): findings are filtered on every keystroke, and walking up the directories to read
 * files each time would put disk I/O on that path. One per server (`ctx.projectSelections`).
 */
export class ProjectSelections {
  private readonly byUri = new Map<string, RuleSelection | undefined>();
  private readonly told = new Set<string>();

  constructor(private readonly log: (message: string) => void) {}

  get(uri: string): RuleSelection | undefined {
    if (!uri.startsWith('file:')) return undefined;
    if (this.byUri.has(uri)) return this.byUri.get(uri);
    let selection: RuleSelection | undefined;
    try {
      selection = loadProjectConfig(fileURLToPath(uri));
    } catch (err) {
      this.log((err as Error).message);
    }
    // Each problem once per server (or until the configuration changes), not once per document.
    for (const p of selection?.problems ?? []) {
      if (this.told.has(p)) continue;
      this.told.add(p);
      this.log(`Hotpath configuration: ${p}`);
    }
    this.byUri.set(uri, selection);
    return selection;
  }

  /** Forget one document's selection, or every one (a configuration file changed). */
  invalidate(uri?: string): void {
    if (uri) this.byUri.delete(uri);
    else {
      this.byUri.clear();
      this.told.clear();
    }
  }
}
