// The environment a run gets: an allowlist, never the server's environment. No API keys, tokens,
// agent sockets or cloud credentials reach user code; HOME and TMPDIR point into the run's folder.

import { delimiter, dirname, join } from 'node:path';

/** Variables passed through from the server's environment when set (locale and time zone). */
const PASSED = ['LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_NUMERIC', 'LC_COLLATE', 'LC_MESSAGES', 'TZ'];
/** Windows needs these to start any process at all. */
const WINDOWS_PASSED = ['SystemRoot', 'SYSTEMROOT', 'windir', 'ComSpec', 'PATHEXT', 'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE'];

/**
 * The environment of a run: PATH (the interpreter's folder, then the system's), the locale, HOME
 * and TMPDIR inside the run's folder, and the harness's own variables (`own`).
 */
export function runEnvironment(runDir: string, command: string, own: Record<string, string>, host: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Record<string, string> {
  const windows = platform === 'win32';
  const env: Record<string, string> = {};
  for (const k of [...PASSED, ...(windows ? WINDOWS_PASSED : [])]) if (host[k] !== undefined) env[k] = host[k]!;
  if (!env.LANG && !env.LC_ALL && !windows) env.LANG = 'C.UTF-8';
  const home = join(runDir, 'home');
  const tmp = join(runDir, 'tmp');
  const system = windows ? [join(host.SystemRoot ?? 'C:\\Windows', 'System32'), host.SystemRoot ?? 'C:\\Windows'] : ['/usr/local/bin', '/usr/bin', '/bin'];
  env.PATH = [...new Set([dirname(command), ...system])].join(windows ? ';' : delimiter);
  env.HOME = home;
  env.TMPDIR = tmp;
  env.TMP = tmp;
  env.TEMP = tmp;
  if (windows) {
    env.USERPROFILE = home;
    env.APPDATA = join(home, 'AppData', 'Roaming');
    env.LOCALAPPDATA = join(home, 'AppData', 'Local');
  }
  return { ...env, ...own };
}
