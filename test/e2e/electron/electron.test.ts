// The same end-to-end checks through @vscode/test-electron, for machines that can run a desktop
// VS Code: the extension under development (dist/ from `npm run build`) in a real VS Code, driven from
// inside its extension host (suite/index.ts). Skips, saying why, when no VS Code is available:
//   HOTPATH_VSCODE_EXECUTABLE=/path/to/code   use this VS Code (vscodeExecutablePath)
//   HOTPATH_VSCODE_DOWNLOAD=1                 let test-electron download one (HOTPATH_VSCODE_VERSION, default stable)
// Run: HOTPATH_E2E=1 HOTPATH_VSCODE_EXECUTABLE=... npm test -- test/e2e/electron
// On Linux without a display, run under xvfb-run.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const ROOT = resolve(__dirname, '..', '..', '..');
const executable = process.env.HOTPATH_VSCODE_EXECUTABLE;
const download = process.env.HOTPATH_VSCODE_DOWNLOAD === '1';

function whyNot(): string | false {
  if (executable) return existsSync(executable) ? false : `HOTPATH_VSCODE_EXECUTABLE=${executable} does not exist`;
  if (download) return false;
  return 'no VS Code to run: set HOTPATH_VSCODE_EXECUTABLE to a VS Code executable, or HOTPATH_VSCODE_DOWNLOAD=1 on a machine that can download it (the code-server suite in test/e2e/codeserver covers machines that cannot)';
}

test('Hotpath in a desktop VS Code (@vscode/test-electron)', { skip: whyNot(), timeout: 15 * 60_000 }, async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'client.js')), 'dist/client.js is missing: run npm run build');
  const home = mkdtempSync(join(ROOT, '.cache', 'e2e', 'electron-'));
  try {
    // The suite runs inside VS Code's extension host: bundle it to one CommonJS file.
    const suite = join(home, 'suite', 'index.js');
    await build({ entryPoints: [join(__dirname, 'suite', 'index.ts')], outfile: suite, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' });
    const workspace = join(home, 'examples');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    const artifacts = join(ROOT, 'test-artifacts', 'e2e-electron');
    mkdirSync(artifacts, { recursive: true });
    const code = await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : { version: process.env.HOTPATH_VSCODE_VERSION ?? 'stable' }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      extensionTestsEnv: { HOTPATH_E2E_WORKSPACE: workspace, HOTPATH_E2E_ARTIFACTS: artifacts },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', join(home, 'user-data'), '--extensions-dir', join(home, 'extensions')],
    });
    assert.equal(code, 0);
  } finally {
    if (!process.env.HOTPATH_E2E_KEEP) rmSync(home, { recursive: true, force: true });
  }
});
