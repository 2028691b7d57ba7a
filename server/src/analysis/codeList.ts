// Rule codes and prefixes as users write them (editor settings `hotpath.select`/`ignore`, the project
// file's `select`/`ignore`): a value of the wrong type must not turn every diagnostic off or throw
// deep inside the filtering (a string where a list is meant made `patterns.some` fail on every file).
// A string is read as a one-item list, items that are not a code or prefix are dropped, and each
// correction is described in `problems` for the caller to tell the user once.

/** The form of a rule code or prefix: `HP`, then up to three digits (`HP1`, `HP30`, `HP301`), or `ALL`. */
export const CODE_FORM = /^(?:ALL|HP\d{0,3})$/i;
export const CODE_FORM_TEXT = 'a rule code or prefix such as HP101, HP1 or ALL';

export interface CodeList {
  codes: string[];
  /** What was corrected or dropped, one sentence each, naming `name`. */
  problems: string[];
}

/** `value` as a list of codes; `name` is the setting or key for messages (`hotpath.ignore`, `select in pyproject.toml`). */
export function codeList(value: unknown, name: string): CodeList {
  if (value === undefined || value === null) return { codes: [], problems: [] };
  const problems: string[] = [];
  let items: unknown[];
  if (typeof value === 'string') {
    items = value.split(',').map((s) => s.trim()).filter(Boolean);
    problems.push(`${name} is a string; read as the list ${JSON.stringify(items)}`);
  } else if (Array.isArray(value)) items = value;
  else return { codes: [], problems: [`${name} is ignored: it should be a list of codes, not ${describeValue(value)}`] };
  const codes: string[] = [];
  for (const item of items) {
    if (typeof item === 'string' && CODE_FORM.test(item.trim())) codes.push(item.trim());
    else problems.push(`${name}: ${describeValue(item)} is ignored (not ${CODE_FORM_TEXT})`);
  }
  return { codes, problems };
}

/** A value as a message names it: `null`, `"HP1"`, `a list`, `an object`, `number 5`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
