// macOS isolation: `sandbox-exec` with a deny-by-default profile (Seatbelt's SBPL, the mechanism
// behind the App Sandbox; `sandbox-exec` is deprecated but present on every macOS release and
// used by build tools such as Bazel for the same purpose). Written from Apple's sandbox profile
// language and the system profiles in /System/Library/Sandbox/Profiles; it cannot be run on the
// Linux machines Hotpath is tested on, so the profile text is unit-tested, not the enforcement.
//
// What the profile allows: reading the plan's read-only paths (and the metadata of any path, so
// that path resolution works: names and sizes, never contents), reading and writing the run's
// folder and /dev/null, executing the interpreter, sysctl reads and the few Mach services
// libSystem needs at start-up. Everything else is denied, network included. Forking is denied
// too: without a PID namespace a daemonised child could outlive the run, so code that starts
// processes fails with a permission error instead.

import type { Isolation, Launch, SandboxPlan } from './plan';

/** An SBPL string literal. */
export function sbplString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const DEVICES_READ = ['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/dtracehelper'];
const MACH_SERVICES = ['com.apple.system.logger', 'com.apple.system.notification_center', 'com.apple.system.opendirectoryd.libinfo', 'com.apple.trustd.agent'];

export function sandboxProfile(plan: SandboxPlan): string {
  const s = sbplString;
  const read = plan.readOnly.map((p) => `  (subpath ${s(p)})`);
  return [
    '(version 1)',
    '(deny default)',
    '(deny network*)',
    '(deny process-fork)',
    `(allow process-exec (literal ${s(plan.command)}))`,
    '(allow signal (target self))',
    '(allow sysctl-read)',
    '(allow file-read-metadata)',
    '(allow file-read* file-map-executable',
    ...read,
    ...DEVICES_READ.map((d) => `  (literal ${s(d)})`),
    ')',
    `(allow file-read* file-write* (subpath ${s(plan.runDir)}) (literal "/dev/null"))`,
    `(allow mach-lookup ${MACH_SERVICES.map((m) => `(global-name ${s(m)})`).join(' ')})`,
    '(allow ipc-posix-shm-read-data ipc-posix-shm-write-data ipc-posix-sem)',
  ].join('\n');
}

export const sandboxExecIsolation = (sandboxExec = '/usr/bin/sandbox-exec'): Isolation => ({
  kind: 'sandbox-exec',
  description: 'sandboxed with sandbox-exec (deny-by-default profile: read-only filesystem except the run folder, no network, no new processes)',
  holds: { filesystem: true, network: true, processes: true, environment: true },
  wrap(plan): Launch {
    return { command: sandboxExec, args: ['-p', sandboxProfile(plan), plan.command, ...plan.args], env: plan.env };
  },
});
