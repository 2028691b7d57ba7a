// End to end in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) driven through Debian's chromium
// with playwright-core. The suite installs the packaged .vsix for this platform with
// `code-server --install-extension`, opens a copy of examples/ and checks what a user sees: Hotpath's
// codes in the Problems panel, the hover, a quick fix rewriting the file, the benchmark chart, ghost
// text from the generated test model. Screenshots of every step go to test-artifacts/e2e/.
//
// Run: bash test/e2e/setup-code-server.sh && HOTPATH_E2E=1 npm test -- test/e2e/codeserver
// Env: HOTPATH_E2E_VSIX=<file> (skip packaging), HOTPATH_E2E_KEEP=1 (keep .cache/e2e/run-*),
//      HOTPATH_E2E_TIMEOUT_MS (one UI condition, default 60000), HOTPATH_CHROMIUM.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, CodeServer, ROOT, UI_TIMEOUT, Workbench, launchBrowser, missingPrerequisite, until } from './driver';

const log = (line: string) => { if (process.env.HOTPATH_E2E_VERBOSE) console.log(line); logLines.push(line); };
const logLines: string[] = [];
const STEP_TIMEOUT = Math.max(180_000, UI_TIMEOUT * 3);

/** The packaged extension for this machine: HOTPATH_E2E_VSIX, or `node scripts/package.mjs` now. */
function packagedVsix(): string {
  if (process.env.HOTPATH_E2E_VSIX) return process.env.HOTPATH_E2E_VSIX;
  const out = join(ROOT, '.cache', 'e2e', 'vsix');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  const sizes = JSON.parse(readFileSync(join(out, 'sizes.json'), 'utf8')) as { file: string }[];
  return join(ROOT, sizes[0].file);
}

/** The generated test model (scripts/model/make_test_model.py), when that teammate's module is in. */
async function testModelPath(): Promise<string | undefined> {
  if (process.env.HOTPATH_E2E_MODEL) return process.env.HOTPATH_E2E_MODEL;
  const trained = join(ROOT, 'assets', 'hotpath-code-tiny.gguf');
  if (existsSync(trained)) return trained;
  const mod = join(ROOT, 'server', 'src', 'model', 'testModel.ts');
  if (!existsSync(mod)) return undefined;
  const { ensureTestModel } = (await import(mod)) as { ensureTestModel: () => Promise<string> };
  return ensureTestModel();
}

/** 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} not found in ${file}`);
  return i + 1;
}

const skip = missingPrerequisite();

describe('Hotpath in a real VS Code (code-server)', { skip: skip && process.env.CI !== 'true' ? skip : false }, () => {
  let server: CodeServer;
  let browser: Browser;
  let wb: Workbench;
  let workspace: string;

  /** Runs one user-visible step; screenshots it on success and on failure. */
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      await wb.screenshot(name);
    } catch (e) {
      if (wb) await wb.screenshot(`${name}-FAILED`).catch(() => {});
      throw e;
    }
  }

  before(async () => {
    if (skip) throw new Error(skip); // CI must have run the setup script
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const vsix = packagedVsix();
    const model = await testModelPath();
    server = new CodeServer({
      vsix,
      log,
      settings: {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'editor.inlineSuggest.enabled': true,
        'editor.quickSuggestions': { other: false, comments: false, strings: false },
        'editor.suggestOnTriggerCharacters': false,
        'editor.minimap.enabled': false,
        'files.autoSave': 'off',
        ...(model ? { 'hotpath.model.path': model } : {}),
      },
    });
    workspace = join(server.home, 'examples');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    const installed = server.installExtension();
    log(installed);
    assert.match(installed, /hotpath/i);
    const url = await server.start();
    browser = await launchBrowser();
    wb = await Workbench.open(browser, url, workspace, log);
    await wb.screenshot('workbench-opened');
  }, { timeout: STEP_TIMEOUT * 2 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (server) writeFileSync(join(ARTIFACTS, 'code-server.log'), server.log);
    writeFileSync(join(ARTIFACTS, 'suite.log'), logLines.join('\n') + '\n');
    server?.cleanup();
  });

  test('the extension activates on a Python file and its command runs', { timeout: STEP_TIMEOUT }, async () => {
    await step('python-file-opened', async () => {
      await wb.openFile('orders.py');
      await wb.command('Hotpath: Show Output');
      // The output channel exists only once the client has activated.
      await wb.page.locator('.part.panel .monaco-editor .view-lines', { hasText: /\S/ }).first().waitFor();
      await until('the Output view to show the Hotpath channel', async () =>
        (await wb.page.locator('.part.panel .monaco-select-box, .part.panel select').allTextContents()).some((t) => /Hotpath/.test(t))
        || (await wb.page.locator('.part.panel [title*="Hotpath"], .part.panel [aria-label*="Hotpath"]').count()) > 0);
    });
  });

  test('the Problems panel lists Hotpath findings with their codes', { timeout: STEP_TIMEOUT }, async () => {
    for (const [file, prefix] of [['orders.py', 'HP1'], ['inventory.js', 'HP2'], ['users.ts', 'HP2']] as const) {
      await step(`problems-${file.replace('.', '-')}`, async () => {
        await wb.openFile(file);
        const rows = await wb.problems((r) => r.some((t) => t.includes(file)) && r.some((t) => new RegExp(`\\b${prefix}\\d\\d\\b`).test(t)));
        log(`problems after ${file}:\n${rows.join('\n')}`);
      });
    }
  });

  test('hovering a finding explains it', { timeout: STEP_TIMEOUT }, async () => {
    await step('hover', async () => {
      await wb.openFile('orders.py');
      await wb.nextProblemInFile();
      await wb.command('Show or Focus Hover');
      const hover = wb.page.locator('.monaco-hover:not(.hidden)').first();
      await hover.waitFor({ state: 'visible' });
      await until('the hover to show a Hotpath code', async () => /HP\d{3}/.test((await hover.textContent()) ?? ''));
      log(`hover: ${await hover.textContent()}`);
    });
  });

  test('a quick fix rewrites the file', { timeout: STEP_TIMEOUT }, async () => {
    const file = join(workspace, 'orders.py');
    const before = readFileSync(file, 'utf8');
    await step('quick-fix-menu', async () => {
      await wb.openFile('orders.py');
      await wb.nextProblemInFile();
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.press('Control+.');
      await wb.page.locator('.action-widget .monaco-list-row.action').first().waitFor();
    });
    let title = '';
    await step('quick-fix-applied', async () => {
      const row = wb.page.locator('.action-widget .monaco-list-row.action', { hasNotText: /hotpath: ignore|Ignore|Suppress|Learn more/i }).first();
      title = (await row.textContent()) ?? '';
      log(`quick fix: ${title}`);
      await row.click();
      await wb.page.locator('.action-widget').waitFor({ state: 'hidden' });
      await wb.command('File: Save');
      await until('orders.py to change on disk', async () => readFileSync(file, 'utf8') !== before);
    });
    const afterText = readFileSync(file, 'utf8');
    writeFileSync(join(ARTIFACTS, 'orders.fixed.py'), afterText);
    assert.notEqual(afterText, before, `quick fix "${title}" did not change the file`);
  });

  test('Benchmark Function at Cursor runs and shows its chart', { timeout: STEP_TIMEOUT * 2 }, async () => {
    await step('benchmark-chart', async () => {
      await wb.openFile('orders.py');
      await wb.goTo(lineOf(join(workspace, 'orders.py'), 'def total_price'));
      await wb.page.keyboard.press('ArrowDown');
      await wb.command('Hotpath: Benchmark Function at Cursor');
      // The chart lives in a webview: an iframe inside an iframe, found by its canvas or svg.
      const frame = await wb.frameWith('canvas, svg');
      await until('the chart to be drawn', async () => {
        const box = await frame.locator('canvas, svg').first().boundingBox();
        return !!box && box.width > 50 && box.height > 50;
      }, STEP_TIMEOUT);
    });
  });

  test('ghost text appears after typing, from the configured model', { timeout: STEP_TIMEOUT }, async () => {
    await step('ghost-text', async () => {
      await wb.openFile('orders.py');
      await wb.goTo(lineOf(join(workspace, 'orders.py'), 'def total_price'));
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.type('    count = ', { delay: 30 });
      await wb.command('Trigger Inline Suggestion');
      await until('ghost text in the editor', async () => {
        const texts = await wb.editor().locator('[class*="ghost-text"]').allTextContents();
        return texts.join('').trim().length > 0 ? texts : undefined;
      });
    });
  });
});
