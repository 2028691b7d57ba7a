// The slow/fast pairs of bench/optimize/ (PIE-style edits): one file per pair, sections marked by
// `# === slow ===` / `// === slow ===`, `=== fast ===`, `=== wrong <kind>: what ===` (planted
// wrong rewrites the verification must reject) and `=== same: … ===` (equivalent, not faster).
// Text before the first marker is shared (imports, comments).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topLevelFunctions, type ExecLanguage } from '../execution';
import { execLanguage, languageById } from '../languages';
import type { ParserFactory } from '../parsing';

export interface PairVariant {
  /** `fast`, `wrong off-by-one`, `same`. */
  label: string;
  /** accept: must be verified; reject: must be rejected. */
  expect: 'accept' | 'reject';
  description: string;
  code: string;
}

export interface Pair {
  id: string;
  file: string;
  language: ExecLanguage;
  functionName: string;
  /** The module with the slow version. */
  source: string;
  variants: PairVariant[];
}

export function parsePair(parsers: ParserFactory, file: string, text: string): Pair {
  const language = execLanguage(file);
  if (!language) throw new Error(`${file}: not a file Hotpath runs`);
  const marker = /^(?:#|\/\/) === (.+?) ===\s*$/gm;
  const marks: { label: string; start: number; end: number }[] = [];
  for (let m = marker.exec(text); m; m = marker.exec(text)) marks.push({ label: m[1], start: m.index, end: m.index + m[0].length + 1 });
  if (!marks.length || marks[0].label !== 'slow') throw new Error(`${file}: the first section must be '=== slow ==='`);
  const header = text.slice(0, marks[0].start);
  const sections = marks.map((m, i) => ({ label: m.label, code: text.slice(m.end, i + 1 < marks.length ? marks[i + 1].start : text.length) }));
  const slow = sections[0].code;
  const name = topLevelFunctions(parsers, languageById(language).execution, slow, file)[0]?.name;
  if (!name) throw new Error(`${file}: no function in the slow section`);
  const variants = sections.slice(1).map((s) => {
    const [label, ...rest] = s.label.split(':');
    const expect: PairVariant['expect'] = label.trim() === 'fast' ? 'accept' : 'reject';
    return { label: label.trim(), expect, description: rest.join(':').trim(), code: s.code };
  });
  return { id: file.replace(/^.*[\\/]/, ''), file, language, functionName: name, source: header + slow, variants };
}

export function loadPairs(parsers: ParserFactory, dir: string): Pair[] {
  const out: Pair[] = [];
  for (const sub of readdirSync(dir).sort()) {
    const d = join(dir, sub);
    let files: string[];
    try {
      files = readdirSync(d).sort();
    } catch {
      continue;
    }
    for (const f of files) if (/\.(py|js|ts)$/.test(f)) out.push(parsePair(parsers, join(d, f), readFileSync(join(d, f), 'utf8')));
  }
  return out;
}
