// Linux isolation: bubblewrap when it is installed, else the same sandbox built by hand with
// util-linux's `unshare` (user, mount, network, PID, IPC and UTS namespaces) and a setup script.
//
// Both give the program a new root that holds only the plan's read-only paths, a minimal /dev, a
// fresh /proc, and the run's folder (the only writable place); no network (a new network
// namespace has only its own loopback); a PID namespace whose processes the kernel kills when its
// first process ends, tied to the server's life (bwrap --die-with-parent; setpriv --pdeathsig and
// unshare --kill-child); no capabilities.

import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { normalizePaths, type Isolation, type Launch, type SandboxPlan } from './plan';

/** A read-only path as the sandbox mounts it: its real location, and the symlink that names it if it is one. */
export interface MountEntry {
  /** The real path (mounted at the same place inside). */
  path: string;
  isDirectory: boolean;
}

export interface LinuxLayout {
  mounts: MountEntry[];
  /** Symlinks to recreate inside (`/lib` → `usr/lib` on merged-/usr systems). */
  symlinks: { path: string; target: string }[];
}

/** Resolve the plan's read-only paths: real paths to mount, symlinks to recreate, missing ones dropped. */
export function linuxLayout(plan: SandboxPlan, fs = { lstatSync, readlinkSync, realpathSync }): LinuxLayout {
  const symlinks: { path: string; target: string }[] = [];
  const real: string[] = [];
  const isDir = new Map<string, boolean>();
  for (const p of plan.readOnly) {
    let st;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue;
    }
    let target = p;
    if (st.isSymbolicLink()) {
      const link = fs.readlinkSync(p);
      symlinks.push({ path: p, target: link });
      try {
        target = fs.realpathSync(isAbsolute(link) ? link : resolve(dirname(p), link));
      } catch {
        continue;
      }
    } else {
      try {
        target = fs.realpathSync(p);
      } catch {
        continue;
      }
    }
    real.push(target);
    try {
      isDir.set(target, fs.lstatSync(target).isDirectory());
    } catch {
      isDir.set(target, false);
    }
  }
  const mounts = normalizePaths(real).map((path) => ({ path, isDirectory: isDir.get(path) ?? true }));
  // A symlink whose name is itself inside a mounted folder exists there already.
  const covered = (p: string) => mounts.some((m) => p === m.path || p.startsWith(m.path + '/'));
  return { mounts, symlinks: symlinks.filter((s) => !covered(s.path)) };
}

/** bwrap's command line for a plan. */
export function bwrapArgs(plan: SandboxPlan, layout: LinuxLayout): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'];
  for (const m of layout.mounts) args.push(m.isDirectory ? '--ro-bind' : '--ro-bind-try', m.path, m.path);
  for (const s of layout.symlinks) args.push('--symlink', s.target, s.path);
  args.push('--dev', '/dev', '--proc', '/proc', '--tmpfs', '/dev/shm');
  args.push('--bind', plan.runDir, plan.runDir, '--chdir', plan.runDir, '--remount-ro', '/');
  args.push('--', plan.command, ...plan.args);
  return args;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

/**
 * The setup script the `unshare` fallback runs inside the new namespaces (as root of the user
 * namespace, before the program): mount the new root, pivot into it, drop every capability, and
 * exec the program.
 */
export function unshareScript(plan: SandboxPlan, layout: LinuxLayout, setpriv: string): string {
  const q = shellQuote;
  const root = `${plan.runDir}/.sandbox-root`;
  const lines = [
    'set -eu',
    // The setup's own tools (mount, pivot_root) live in sbin; the program gets the plan's PATH back.
    'PLAN_PATH="$PATH"',
    'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    `R=${q(root)}`,
    'mkdir -p "$R"',
    'mount -t tmpfs -o mode=0755 hotpath-root "$R"',
    // Non-recursive binds: a mount below a read-only path is not carried in writable.
    'ro() { if [ -d "$1" ]; then mkdir -p "$R$1"; else mkdir -p "$R$(dirname "$1")"; : > "$R$1"; fi; mount --bind "$1" "$R$1"; mount -o remount,bind,ro "$R$1"; }',
    ...layout.mounts.map((m) => `ro ${q(m.path)}`),
    ...layout.symlinks.map((s) => `mkdir -p "$R"${q(dirname(s.path))} && ln -s ${q(s.target)} "$R"${q(s.path)}`),
    'mkdir -p "$R/dev" "$R/proc" "$R/.old"',
    `for d in ${DEVICES.join(' ')}; do : > "$R/dev/$d"; mount --bind "/dev/$d" "$R/dev/$d"; done`,
    'mkdir -p "$R/dev/shm" && mount -t tmpfs -o mode=1777,size=64m hotpath-shm "$R/dev/shm"',
    'ln -s /proc/self/fd "$R/dev/fd"',
    'mount -t proc proc "$R/proc"',
    `mkdir -p "$R"${q(plan.runDir)} && mount --bind ${q(plan.runDir)} "$R"${q(plan.runDir)}`,
    'cd "$R"',
    'pivot_root . .old',
    'umount -l /.old',
    'rmdir /.old',
    'mount -o remount,bind,ro /',
    `cd ${q(plan.runDir)}`,
    'PATH="$PLAN_PATH"',
    // No capabilities survive the exec, and no setuid program can give any back.
    `exec ${q(setpriv)} --no-new-privs --bounding-set=-all --inh-caps=-all ${[plan.command, ...plan.args].map(q).join(' ')}`,
  ];
  return lines.join('\n') + '\n';
}

/** The `unshare` command line; the script is passed inline (`sh -c`), so nothing is written first. */
export function unshareArgs(plan: SandboxPlan, layout: LinuxLayout, tools: { setpriv: string; unshare: string; sh: string }): string[] {
  return [
    // Dies with the server: unshare gets SIGKILL when its parent ends, and --kill-child passes it on.
    '--pdeathsig', 'KILL',
    tools.unshare, '--user', '--map-root-user', '--mount', '--net', '--pid', '--ipc', '--uts', '--fork', '--kill-child',
    tools.sh, '-c', unshareScript(plan, layout, tools.setpriv),
  ];
}

export const bwrapIsolation = (bwrap: string): Isolation => ({
  kind: 'bwrap',
  description: 'sandboxed with bubblewrap (read-only filesystem except the run folder, no network, PID namespace)',
  holds: { filesystem: true, network: true, processes: true, environment: true },
  wrap(plan): Launch {
    return { command: bwrap, args: bwrapArgs(plan, linuxLayout(plan)), env: plan.env };
  },
});

export const unshareIsolation = (tools: { setpriv: string; unshare: string; sh: string }): Isolation => ({
  kind: 'unshare',
  description: 'sandboxed with unshare namespaces (read-only filesystem except the run folder, no network, PID namespace)',
  holds: { filesystem: true, network: true, processes: true, environment: true },
  wrap(plan): Launch {
    return { command: tools.setpriv, args: unshareArgs(plan, linuxLayout(plan), tools), env: plan.env };
  },
});
