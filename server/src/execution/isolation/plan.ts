// What a sandboxed run may see and do, independent of the mechanism that enforces it: the
// command, the one writable folder, the read-only paths, the environment. Each platform's
// mechanism (linux.ts, macos.ts, windows.ts) turns a plan into the command line that enforces it.

export type IsolationKind = 'bwrap' | 'unshare' | 'sandbox-exec' | 'appcontainer' | 'none';

export interface SandboxPlan {
  /** The run's temporary folder: the only writable place (HOME and TMPDIR point inside it), and the working directory. */
  runDir: string;
  /** Absolute path of the program to start (resolved: no PATH lookup inside). */
  command: string;
  args: string[];
  /** The complete environment of the program (already an allowlist). */
  env: Record<string, string>;
  /** Folders and files the program may read (system libraries, the interpreter, the workspace). */
  readOnly: string[];
}

/** A command line that starts the plan's program under a mechanism. */
export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface Isolation {
  kind: IsolationKind;
  /** One line for the UI and the CLI: what isolates the run, or that nothing does. */
  description: string;
  /** What this mechanism enforces (docs/execution.md has the table per platform). */
  holds: { filesystem: boolean; network: boolean; processes: boolean; environment: boolean };
  wrap(plan: SandboxPlan): Launch;
}

/** Paths without duplicates and without paths inside another one of the list (POSIX or Windows separators). */
export function normalizePaths(paths: string[], sep: '/' | '\\' = '/'): string[] {
  const trim = (p: string) => (p.length > 1 && p.endsWith(sep) && !/^[A-Za-z]:\\$/.test(p) ? p.slice(0, -1) : p);
  const sorted = [...new Set(paths.filter((p) => p.length > 0).map(trim))].sort();
  const out: string[] = [];
  for (const p of sorted) {
    if (out.some((q) => p === q || p.startsWith(q.endsWith(sep) ? q : q + sep))) continue;
    out.push(p);
  }
  return out;
}
