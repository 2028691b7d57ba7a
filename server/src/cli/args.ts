// Command-line parsing shared by the `hotpath` subcommands: one FILE, `--key value` or `--key=value`,
// and boolean `--flag`s.

/** A wrong command line: main.ts prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {}

export type CliOptions = Record<string, string | boolean>;

/** `known`, when given, lists every accepted option (flags included); others are usage errors. */
export function parseFileArgs(argv: string[], flags: ReadonlySet<string>, known?: ReadonlySet<string>): { file?: string; opts: CliOptions } {
  const opts: CliOptions = {};
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      if (file) throw new UsageError(`unexpected argument ${a}`);
      file = a;
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (known && !known.has(key)) throw new UsageError(`unknown option --${key}`);
    if (flags.has(key)) {
      opts[key] = true;
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${key} needs a value`);
    opts[key] = value;
  }
  return { file, opts };
}
