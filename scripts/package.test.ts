// The platform packages as users get them: `scripts/package.mjs --all` builds one .vsix per VS Code
// target, and each must hold its own platform's native code and nothing of the others'. Every
// native file in every package (the model engine's .node/.dylib/.dll/.so files, esbuild's binary)
// is read from the .vsix and identified by its header (Mach-O / PE / ELF and the CPU), and the
// engine's version is the one the target is built with (3.22.1 on Linux, 3.21.1 on macOS and
// Windows; none on 32-bit ARM, whose registry package holds aarch64 binaries). Fetches the binary
// packages it lacks from the npm registry (cached in .cache/package/).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = join(__dirname, '..');

/** OS and CPU of a native binary from its first bytes, or undefined when it is not one. */
export function nativeKind(head: Buffer): { os: 'darwin' | 'win32' | 'linux'; cpu: string } | undefined {
  if (head.length >= 8 && head.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = head.readUInt32LE(4);
    return { os: 'darwin', cpu: cpu === 0x0100000c ? 'arm64' : cpu === 0x01000007 ? 'x64' : `mach-o ${cpu.toString(16)}` };
  }
  if (head.length >= 8 && head.readUInt32BE(0) === 0xcafebabe) return { os: 'darwin', cpu: 'universal' };
  if (head.length >= 64 && head[0] === 0x4d && head[1] === 0x5a) {
    const pe = head.readUInt32LE(0x3c);
    if (pe + 6 > head.length) return { os: 'win32', cpu: 'unknown' };
    const machine = head.readUInt16LE(pe + 4);
    return { os: 'win32', cpu: machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : `pe ${machine.toString(16)}` };
  }
  if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head.readUInt16LE(18);
    return { os: 'linux', cpu: machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : machine === 0x28 ? 'armhf' : `elf ${machine.toString(16)}` };
  }
  return undefined;
}

const TARGETS: Record<string, { os: string; cpu: string; engine: string | null }> = {
  'linux-x64': { os: 'linux', cpu: 'x64', engine: '3.22.1' },
  'linux-arm64': { os: 'linux', cpu: 'arm64', engine: '3.22.1' },
  'linux-armhf': { os: 'linux', cpu: 'armhf', engine: null },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64', engine: '3.21.1' },
  'darwin-x64': { os: 'darwin', cpu: 'x64', engine: '3.21.1' },
  'win32-x64': { os: 'win32', cpu: 'x64', engine: '3.21.1' },
  'win32-arm64': { os: 'win32', cpu: 'arm64', engine: '3.21.1' },
};

const out = mkdtempSync(join(tmpdir(), 'hotpath-packages-'));
const staging = mkdtempSync(join(tmpdir(), 'hotpath-staging-'));
after(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
});

function unzip(args: string[]): Buffer {
  const r = spawnSync('unzip', args, { maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`unzip ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('every platform package holds its own natives, nothing of the others, and the engine built for it', { timeout: 30 * 60_000 }, () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--all', '--no-build', '--out', out, '--staging', staging], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  const sizes = JSON.parse(readFileSync(join(out, 'sizes.json'), 'utf8')) as { target: string; file: string; bytes: number }[];
  assert.deepEqual(sizes.map((s) => s.target).sort(), [...Object.keys(TARGETS), 'universal'].sort(), 'a package per platform');

  for (const { target, file } of sizes) {
    const vsix = join(ROOT, file);
    const entries = unzip(['-Z1', vsix]).toString('utf8').split('\n').filter(Boolean);
    const natives: string[] = [];
    for (const entry of entries.filter((e) => e.startsWith('extension/node_modules/') && !e.endsWith('/'))) {
      // Read the header of anything that can be native code: known extensions, and files without one under a bin/.
      if (!/\.(node|dylib|dll|so(\.\d+)*|exe)$/.test(entry) && !/\/bin\/[^/.]+$/.test(entry)) continue;
      const kind = nativeKind(unzip(['-p', vsix, entry]).subarray(0, 4096));
      if (kind) natives.push(`${entry}: ${kind.os}-${kind.cpu}`);
    }
    const scoped = entries.map((e) => /^extension\/node_modules\/(@node-llama-cpp|@esbuild)\/([^/]+)\//.exec(e)).filter(Boolean).map((m) => `${m![1]}/${m![2]}`);
    if (target === 'universal') {
      assert.deepEqual(natives, [], 'the universal package carries no native code');
      assert.deepEqual([...new Set(scoped)], []);
      continue;
    }
    const want = TARGETS[target];
    const foreign = natives.filter((n) => !n.endsWith(`: ${want.os}-${want.cpu}`));
    assert.deepEqual(foreign, [], `${target}: only ${want.os}-${want.cpu} native code`);
    assert.ok(natives.some((n) => n.includes('/@esbuild/')), `${target}: esbuild's binary`);
    const manifest = JSON.parse(unzip(['-p', vsix, 'extension/package.json']).toString('utf8')) as { dependencies: Record<string, string> };
    const enginePackages = [...new Set(scoped)].filter((p) => p.startsWith('@node-llama-cpp/'));
    if (want.engine === null) {
      assert.deepEqual(enginePackages, [], `${target}: no engine binaries`);
      assert.ok(!entries.some((e) => e.startsWith('extension/node_modules/node-llama-cpp/')), `${target}: no engine`);
      assert.equal(manifest.dependencies['node-llama-cpp'], undefined);
      continue;
    }
    assert.ok(natives.some((n) => n.includes('/@node-llama-cpp/') && /\.node: /.test(n)), `${target}: the engine's addon`);
    assert.equal(enginePackages.length, 1, `${target}: one engine binary package: ${enginePackages.join(', ')}`);
    const engine = JSON.parse(unzip(['-p', vsix, 'extension/node_modules/node-llama-cpp/package.json']).toString('utf8')) as { version: string };
    assert.equal(engine.version, want.engine, `${target}: node-llama-cpp ${want.engine}`);
    assert.equal(manifest.dependencies['node-llama-cpp'], want.engine);
  }
});
