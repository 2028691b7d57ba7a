// The command lines and profiles each mechanism generates from a plan (the macOS and Windows
// ones cannot run here: their generation is what is tested), the environment allowlist, and the
// paths a run may read. The enforcement itself is tested by the attack suite (attacks.test.ts).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runEnvironment } from './env';
import { projectReadPaths, systemReadPaths } from './index';
import { bwrapArgs, linuxLayout, shellQuote, unshareArgs, unshareScript } from './linux';
import { sandboxProfile, sbplString } from './macos';
import { normalizePaths, type SandboxPlan } from './plan';
import { launcherPlan, LAUNCHER_SOURCE, windowsCommandLine } from './windows';

const plan: SandboxPlan = {
  runDir: '/tmp/hotpath-exec-abc',
  command: '/usr/bin/python3.11',
  args: ['-u', 'hotpath_harness.py', 'spec.json'],
  env: { PATH: '/usr/bin', HOME: '/tmp/hotpath-exec-abc/home' },
  readOnly: ['/usr', '/etc/ld.so.cache', '/home/me/project'],
};
const layout = { mounts: [{ path: '/usr', isDirectory: true }, { path: '/etc/ld.so.cache', isDirectory: false }, { path: '/home/me/project', isDirectory: true }], symlinks: [{ path: '/lib', target: 'usr/lib' }] };

describe('normalizePaths', () => {
  it('drops duplicates and paths inside another one, whatever the sort order puts between them', () => {
    assert.deepEqual(normalizePaths(['/usr/lib/x', '/usr', '/usr-local', '/usr/', '/opt/a', '/opt/a/b']), ['/opt/a', '/usr', '/usr-local']);
    assert.deepEqual(normalizePaths(['C:\\Python\\Lib', 'C:\\Python', 'C:\\Work'], '\\'), ['C:\\Python', 'C:\\Work']);
  });
});

describe('Linux', () => {
  it('lays out the real paths, recreates symlinks, and drops what does not exist', () => {
    const root = mkdtempSync(join(tmpdir(), 'hotpath-layout-'));
    mkdirSync(join(root, 'usr', 'lib'), { recursive: true });
    symlinkSync('usr/lib', join(root, 'lib'));
    writeFileSync(join(root, 'file'), 'x');
    const l = linuxLayout({ ...plan, readOnly: [join(root, 'usr'), join(root, 'lib'), join(root, 'file'), join(root, 'missing')] });
    assert.deepEqual(l.mounts, [{ path: join(root, 'file'), isDirectory: false }, { path: join(root, 'usr'), isDirectory: true }]);
    // /lib → usr/lib is inside a mounted folder's parent, not inside a mount: recreated.
    assert.deepEqual(l.symlinks, [{ path: join(root, 'lib'), target: 'usr/lib' }]);
  });

  it('bwrap: every namespace, dies with the server, no capabilities, read-only root, one writable folder', () => {
    const args = bwrapArgs(plan, layout);
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session']) assert.ok(args.includes(flag), flag);
    assert.deepEqual(args.slice(args.indexOf('--cap-drop'), args.indexOf('--cap-drop') + 2), ['--cap-drop', 'ALL']);
    assert.deepEqual(args.slice(args.indexOf('/usr') - 1, args.indexOf('/usr') + 2), ['--ro-bind', '/usr', '/usr']);
    assert.ok(args.join(' ').includes('--ro-bind-try /etc/ld.so.cache /etc/ld.so.cache'));
    assert.ok(args.join(' ').includes('--symlink usr/lib /lib'));
    assert.ok(args.join(' ').includes(`--bind ${plan.runDir} ${plan.runDir} --chdir ${plan.runDir} --remount-ro /`));
    assert.equal(args.filter((a) => a === '--bind').length, 1, 'one writable folder');
    assert.deepEqual(args.slice(args.indexOf('--') + 1), [plan.command, ...plan.args]);
  });

  it('unshare: namespaces, death tied to the server, pivot_root, read-only binds, no capabilities', () => {
    const tools = { unshare: '/usr/bin/unshare', setpriv: '/usr/bin/setpriv', sh: '/bin/sh' };
    const args = unshareArgs(plan, layout, tools);
    assert.deepEqual(args.slice(0, 3), ['--pdeathsig', 'KILL', '/usr/bin/unshare']);
    for (const flag of ['--user', '--map-root-user', '--mount', '--net', '--pid', '--fork', '--kill-child']) assert.ok(args.includes(flag), flag);
    const script = unshareScript(plan, layout, tools.setpriv);
    assert.equal(args[args.length - 1], script);
    assert.match(script, /^set -eu$/m);
    assert.match(script, /^ro '\/usr'$/m);
    assert.match(script, /mount -o remount,bind,ro "\$R\$1"/);
    assert.match(script, /pivot_root \. \.old\numount -l \/\.old/);
    assert.match(script, /mount -o remount,bind,ro \/$/m);
    assert.match(script, /exec '\/usr\/bin\/setpriv' --no-new-privs --bounding-set=-all --inh-caps=-all '\/usr\/bin\/python3\.11' '-u' 'hotpath_harness\.py' 'spec\.json'$/m);
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });

  it('reads only what programs need from /etc: no shadow, sudoers, ssh or npm tokens', () => {
    const paths = systemReadPaths('linux');
    assert.ok(paths.includes('/usr') && paths.includes('/etc/ld.so.cache'));
    for (const secret of ['/etc', '/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/etc/ssh', '/etc/npmrc', '/etc/ssl/private', '/root', '/home']) assert.ok(!paths.includes(secret), secret);
  });
});

describe('macOS sandbox-exec profile', () => {
  const profile = sandboxProfile(plan);
  it('denies by default, network and fork included', () => {
    assert.match(profile, /^\(version 1\)\n\(deny default\)\n\(deny network\*\)\n\(deny process-fork\)/);
    assert.ok(!/\(allow network/.test(profile));
  });
  it('allows reading the plan paths, writing only the run folder, executing only the interpreter', () => {
    assert.match(profile, /\(allow process-exec \(literal "\/usr\/bin\/python3\.11"\)\)/);
    for (const p of plan.readOnly) assert.ok(profile.includes(`(subpath ${sbplString(p)})`), p);
    const writes = profile.split('\n').filter((l) => l.includes('file-write'));
    assert.deepEqual(writes, [`(allow file-read* file-write* (subpath "${plan.runDir}") (literal "/dev/null"))`]);
  });
  it('quotes paths as SBPL strings', () => {
    assert.equal(sbplString('/a "b"\\c'), '"/a \\"b\\"\\\\c"');
  });
});

describe('Windows AppContainer launcher', () => {
  it('quotes command lines the way CommandLineToArgvW reads them', () => {
    assert.equal(windowsCommandLine(['C:\\Program Files\\Python\\python.exe', '-u', 'a b', 'q"x', 'end\\']), '"C:\\Program Files\\Python\\python.exe" -u "a b" "q\\"x" end\\');
    assert.equal(windowsCommandLine(['x', 'trail\\ space\\']), 'x "trail\\ space\\\\"');
  });
  it('writes the plan the launcher reads: folder, limits, command line, read-only paths, environment', () => {
    const text = launcherPlan({ ...plan, runDir: 'C:\\Temp\\run', command: 'C:\\Py\\python.exe', readOnly: ['C:\\Py', 'C:\\Py\\Lib', 'C:\\Work'] }, { maxProcesses: 64, memoryMb: 2048 });
    const lines = text.split('\r\n');
    assert.deepEqual(lines.slice(0, 4), ['C:\\Temp\\run', '64', '2048', 'C:\\Py\\python.exe -u hotpath_harness.py spec.json']);
    assert.deepEqual(lines.filter((l) => l.startsWith('ro ')), ['ro C:\\Py', 'ro C:\\Work']);
    assert.ok(lines.includes('env HOME=/tmp/hotpath-exec-abc/home'));
  });
  it('the launcher creates an AppContainer without capabilities inside a job that kills the tree', () => {
    for (const call of ['CreateAppContainerProfile', 'DeriveAppContainerSidFromAppContainerName', 'PROC_THREAD_ATTRIBUTE_SECURITY_CAPABILITIES', 'CapabilityCount = 0', 'LIMIT_KILL_ON_JOB_CLOSE', 'LIMIT_ACTIVE_PROCESS', 'CREATE_SUSPENDED', 'AssignProcessToJobObject', 'lpReserved2']) {
      assert.ok(LAUNCHER_SOURCE.includes(call), call);
    }
    // The job is assigned before the process runs its first instruction.
    assert.ok(LAUNCHER_SOURCE.indexOf('AssignProcessToJobObject(job') < LAUNCHER_SOURCE.indexOf('ResumeThread(pi.hThread)'));
  });
});

describe('environment allowlist', () => {
  const host = { PATH: '/usr/bin:/home/me/bin', LANG: 'de_DE.UTF-8', OPENAI_API_KEY: 'sk-1', AWS_SECRET_ACCESS_KEY: 'x', SSH_AUTH_SOCK: '/tmp/agent', GITHUB_TOKEN: 't', HOME: '/home/me', NODE_OPTIONS: '--require x' };
  it('passes the locale and the harness variables, points HOME and TMPDIR into the run, and nothing else', () => {
    const env = runEnvironment('/tmp/run', '/opt/py/bin/python3', { PYTHONHASHSEED: '0' }, host, 'linux');
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'LANG', 'PATH', 'PYTHONHASHSEED', 'TEMP', 'TMP', 'TMPDIR']);
    assert.equal(env.HOME, '/tmp/run/home');
    assert.equal(env.TMPDIR, '/tmp/run/tmp');
    assert.equal(env.PATH, '/opt/py/bin:/usr/local/bin:/usr/bin:/bin');
    assert.equal(env.LANG, 'de_DE.UTF-8');
  });
  it('gives a UTF-8 locale when the host has none; Windows keeps what a process needs to start', () => {
    assert.equal(runEnvironment('/tmp/run', '/usr/bin/node', {}, {}, 'linux').LANG, 'C.UTF-8');
    const win = runEnvironment('C:\\run', 'C:\\node\\node.exe', {}, { SystemRoot: 'C:\\Windows', OPENAI_API_KEY: 'x' }, 'win32');
    assert.equal(win.SystemRoot, 'C:\\Windows');
    assert.equal(win.OPENAI_API_KEY, undefined);
    assert.ok(win.USERPROFILE.startsWith('C:\\run'));
  });
});

describe('project paths', () => {
  it('the nearest folder with a project marker, and node_modules folders above the file', () => {
    const root = mkdtempSync(join(tmpdir(), 'hotpath-project-'));
    mkdirSync(join(root, 'repo', 'src', 'deep'), { recursive: true });
    mkdirSync(join(root, 'repo', 'node_modules'));
    writeFileSync(join(root, 'repo', 'package.json'), '{}');
    const paths = projectReadPaths(join(root, 'repo', 'src', 'deep', 'f.js'), '/nonexistent-home');
    assert.equal(paths[0], join(root, 'repo'));
    assert.ok(paths.includes(join(root, 'repo', 'node_modules')));
  });
  it('never the home folder itself: a file right in it exposes only its own folder', () => {
    const home = mkdtempSync(join(tmpdir(), 'hotpath-home-'));
    writeFileSync(join(home, 'package.json'), '{}');
    mkdirSync(join(home, 'scratch'));
    assert.deepEqual(projectReadPaths(join(home, 'scratch', 'f.py'), home), [join(home, 'scratch')]);
  });
});
