// Rule selection. Like Ruff: `select` and `ignore` take codes or prefixes (`HP1` = every Python
// rule); the project file nearest to the analysed file wins, then the editor settings apply on top.
// Project files, first found walking up from the file:
//   hotpath.toml / .hotpath.toml         (top-level keys)
//   pyproject.toml                       ([tool.hotpath])
//   package.json                         ("hotpath": { … })
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';

export interface RuleSelection {
  select: string[];
  ignore: string[];
  /** Glob-like path fragments whose files are not analysed (CLI walking). */
  exclude: string[];
  /** Where the selection came from, for messages. */
  source?: string;
}

export const DEFAULT_SELECTION: RuleSelection = { select: [], ignore: [], exclude: [] };

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function fromObject(obj: unknown, source: string): RuleSelection | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  return { select: asStrings(o.select), ignore: asStrings(o.ignore), exclude: asStrings(o.exclude), source };
}

/** Read the project config that governs `filePath`, or undefined. Errors name the file. */
export function loadProjectConfig(filePath: string): RuleSelection | undefined {
  let dir = dirname(resolve(filePath));
  for (;;) {
    for (const name of ['hotpath.toml', '.hotpath.toml']) {
      const p = join(dir, name);
      if (existsSync(p)) return fromObject(parseFile(p, () => parseToml(readFileSync(p, 'utf8'))), p);
    }
    const pyproject = join(dir, 'pyproject.toml');
    if (existsSync(pyproject)) {
      const doc = parseFile(pyproject, () => parseToml(readFileSync(pyproject, 'utf8'))) as { tool?: { hotpath?: unknown } };
      if (doc.tool?.hotpath) return fromObject(doc.tool.hotpath, pyproject);
    }
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const doc = parseFile(pkg, () => JSON.parse(readFileSync(pkg, 'utf8'))) as { hotpath?: unknown };
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
