// Where each rule's page is: dist/rules/<CODE>.md (written by scripts/build.mjs from the rule files),
// next to the bundled server in the package, or under the repository root when the sources run
// (tests). Diagnostics link their code to it (codeDescription.href); hovers link to it too.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let pagesDir: string | null | undefined;

/** The directory of the rule pages, or null when the build did not write them. */
export function rulePagesDir(from = __dirname): string | null {
  if (pagesDir !== undefined) return pagesDir;
  pagesDir = null;
  for (let dir = from, i = 0; i < 6; i++, dir = dirname(dir)) {
    for (const candidate of [join(dir, 'rules'), join(dir, 'dist', 'rules')]) {
      if (existsSync(join(candidate, 'HP101.md'))) return (pagesDir = candidate);
    }
  }
  return pagesDir;
}

const hrefs = new Map<string, string | undefined>();

/** file: URL of a rule's page, or undefined when there is none (looked up once per code). */
export function rulePageHref(code: string): string | undefined {
  if (hrefs.has(code)) return hrefs.get(code);
  const dir = rulePagesDir();
  const page = dir && /^[A-Z]+\d+$/.test(code) ? join(dir, `${code}.md`) : undefined;
  const href = page && existsSync(page) ? pathToFileURL(page).href : undefined;
  hrefs.set(code, href);
  return href;
}
