// Which isolation this machine offers, detected at run time, and the paths every run may read.
//
//   Linux   bubblewrap (`bwrap`), else `unshare` namespaces (util-linux), else none
//   macOS   `sandbox-exec` (deny-by-default profile)
//   Windows an AppContainer (restricted token without capabilities) inside a job object
//
// Detection starts a trivial program under each mechanism once per process and keeps the first
// that works: an installed `bwrap` that the kernel refuses (user namespaces disabled) is not
// taken. `none` means the run is only a separate process with limits: docs/execution.md says
// what that leaves open, and model-written code is refused unless the user allows it
// (`hotpath.execution.allowUnsandboxed`).

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, parse as parsePath } from 'node:path';
import { bwrapIsolation, unshareIsolation } from './linux';
import { sandboxExecIsolation } from './macos';
import type { Isolation, IsolationKind, SandboxPlan } from './plan';
import { appContainerIsolation, windowsLauncher } from './windows';

export type { Isolation, IsolationKind, Launch, SandboxPlan } from './plan';
export { runEnvironment } from './env';

/** `auto`: the best mechanism that works here; a kind: that one or an error; `none`: no isolation. */
export type IsolationSetting = 'auto' | IsolationKind;

/** Every setting, as `--isolation` and `hotpath.execution.isolation` accept them. */
export const ISOLATION_SETTINGS: readonly IsolationSetting[] = ['auto', 'bwrap', 'unshare', 'sandbox-exec', 'appcontainer', 'none'];

export function isIsolationSetting(x: unknown): x is IsolationSetting {
  return ISOLATION_SETTINGS.includes(x as IsolationSetting);
}

export const NO_ISOLATION: Isolation = {
  kind: 'none',
  description: 'NOT sandboxed: no isolation mechanism works on this machine (the code runs with your rights: files, network and environment are reachable)',
  holds: { filesystem: false, network: false, processes: false, environment: true },
  wrap: (plan) => ({ command: plan.command, args: plan.args, env: plan.env }),
};

/** An executable by name (searched on PATH) or path, as its real path; undefined when there is none. */
export function resolveExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = name.includes('/') || name.includes('\\') ? [name] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
  for (const c of candidates) {
    for (const e of exts) {
      try {
        const p = c + e;
        if (!statSync(p).isFile()) continue;
        accessSync(p, constants.X_OK);
        return realpathSync(p);
      } catch {
        // not this one
      }
    }
  }
  return undefined;
}

const LINUX_SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/nix/store', '/gnu/store'];
/** From /etc only what programs need to start and run: never shadow, sudoers, ssh keys, npmrc tokens. */
const LINUX_ETC = [
  'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'alternatives', 'localtime', 'timezone', 'passwd', 'group', 'nsswitch.conf',
  'hosts', 'host.conf', 'ssl/certs', 'ssl/openssl.cnf', 'ca-certificates', 'ca-certificates.conf', 'os-release', 'mime.types',
  'locale.alias', 'fonts', 'gai.conf',
];
const MACOS_SYSTEM = ['/usr/lib', '/usr/share', '/usr/bin', '/bin', '/System', '/Library/Frameworks', '/Library/Developer/CommandLineTools', '/Applications/Xcode.app/Contents/Developer', '/opt/homebrew', '/usr/local', '/private/var/db/timezone', '/private/etc/ssl'];

/** System paths every run may read (libraries, the dynamic loader's files, certificates, time zones). */
export function systemReadPaths(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'linux') {
    let python: string[] = [];
    try {
      python = readdirSync('/etc').filter((e) => /^python3(\.\d+)?$/.test(e));
    } catch {
      // no /etc?
    }
    return [...LINUX_SYSTEM, ...[...LINUX_ETC, ...python].map((e) => `/etc/${e}`)];
  }
  if (platform === 'darwin') return MACOS_SYSTEM;
  return [];
}

const PROJECT_MARKERS = ['.git', 'package.json', 'pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'tsconfig.json', '.hg'];

/**
 * What the code of a file may read: its project (the nearest folder above it with a project
 * marker, never the home folder or the root itself; else the folder above the Python package the
 * file is in, or the file's own folder) and every
 * `node_modules` folder above it (packages resolve from there).
 */
export function projectReadPaths(file: string, home = homedir()): string[] {
  const out: string[] = [];
  let dir = dirname(file);
  let project: string | undefined;
  // A file inside a Python package with no project marker: the folder above the package (its
  // relative imports load the package's other modules).
  let packageTop: string | undefined;
  let inPackage = true;
  const root = parsePath(dir).root;
  for (let d = dir; ; d = dirname(d)) {
    if (d === root || d === home) break;
    if (inPackage && existsSync(join(d, '__init__.py'))) packageTop = dirname(d);
    else inPackage = false;
    if (!project && PROJECT_MARKERS.some((m) => existsSync(join(d, m)))) project = d;
    if (existsSync(join(d, 'node_modules'))) out.push(join(d, 'node_modules'));
    if (dirname(d) === d) break;
  }
  out.unshift(project ?? (packageTop && packageTop !== home && packageTop !== root ? packageTop : dir));
  return out;
}

function probe(isolation: Isolation): boolean {
  const runDir = mkdtempSync(join(tmpdir(), 'hotpath-probe-'));
  try {
    const command = resolveExecutable(process.platform === 'win32' ? 'cmd.exe' : 'true');
    if (!command) return false;
    const plan: SandboxPlan = { runDir, command, args: process.platform === 'win32' ? ['/c', 'exit', '0'] : [], env: { PATH: dirname(command) }, readOnly: [...systemReadPaths(), dirname(command)] };
    const launch = isolation.wrap(plan);
    const r = spawnSync(launch.command, launch.args, { env: launch.env, cwd: runDir, timeout: 10000, stdio: 'ignore' });
    return r.status === 0;
  } catch {
    return false;
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** The mechanisms that could work on this platform, best first, when their programs are installed. */
function candidates(): Isolation[] {
  const out: Isolation[] = [];
  if (process.platform === 'linux') {
    const bwrap = resolveExecutable('bwrap');
    if (bwrap) out.push(bwrapIsolation(bwrap));
    const [unshare, setpriv, sh] = ['unshare', 'setpriv', 'sh'].map((n) => resolveExecutable(n));
    if (unshare && setpriv && sh) out.push(unshareIsolation({ unshare, setpriv, sh }));
  } else if (process.platform === 'darwin') {
    const sandboxExec = resolveExecutable('/usr/bin/sandbox-exec');
    if (sandboxExec) out.push(sandboxExecIsolation(sandboxExec));
  } else if (process.platform === 'win32') {
    const launcher = windowsLauncher();
    if (launcher) out.push(appContainerIsolation(launcher));
  }
  return out;
}

const detected = new Map<IsolationSetting, Isolation | Error>();

/**
 * The isolation to run code under. `auto` is the first mechanism that works (or `none`); a named
 * kind is that one, or an Error saying why it is not available.
 */
export function detectIsolation(setting: IsolationSetting = 'auto'): Isolation | Error {
  const cached = detected.get(setting);
  if (cached) return cached;
  let result: Isolation | Error;
  if (setting === 'none') result = NO_ISOLATION;
  else {
    const all = candidates().filter((c) => setting === 'auto' || c.kind === setting);
    const working = all.find(probe);
    if (working) result = working;
    else if (setting === 'auto') result = NO_ISOLATION;
    else result = new Error(all.length ? `${setting} is installed but cannot start a sandbox here (are unprivileged user namespaces disabled?)` : `${setting} is not available on this machine`);
  }
  detected.set(setting, result);
  return result;
}
