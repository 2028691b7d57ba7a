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
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, CodeServer, ROOT, UI_TIMEOUT, Workbench, launchBrowser, missingPrerequisite, until } from './driver';

const log = (line: string) => { if (process.env.HOTPATH_E2E_VERBOSE) console.log(line); logLines.push(line); };
const logLines: string[] = [];
const STEP_TIMEOUT = Math.max(180_000, UI_TIMEOUT * 3);

/** The packaged extension for this machine: HOTPATH_E2E_VSIX, or `node scripts/package.mjs` now. */
let vsixPath: string | undefined;
function packagedVsix(): string {
  if (process.env.HOTPATH_E2E_VSIX) return process.env.HOTPATH_E2E_VSIX;
  if (vsixPath) return vsixPath;
  const out = join(ROOT, '.cache', 'e2e', 'vsix');
  // `npm test` has just built dist/ (the same code as --production, unminified): package that, so
  // the suite never rewrites dist/ under other test files running beside it.
  const reuse = existsSync(join(ROOT, 'dist', 'server.js')) && !process.env.HOTPATH_E2E_PRODUCTION_BUILD ? ['--no-build'] : [];
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', out, ...reuse], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  const sizes = JSON.parse(readFileSync(join(out, 'sizes.json'), 'utf8')) as { file: string }[];
  return (vsixPath = join(ROOT, sizes[0].file));
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

interface CliFinding { path: string; line: number; column: number; code: string; message: string }

/** `hotpath check --format json` on one file, with the bundled CLI and the editor's (WASM) parser. */
function cliFindings(file: string): CliFinding[] {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', '--exit-zero', '--no-progress', '--parser', 'wasm', file], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `hotpath check failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as CliFinding[];
}

const MEASURE_PY = `def count_pairs(xs: list[int]) -> int:
    count = 0
    for a in xs:
        for b in xs:
            if a < b:
                count += 1
    return count
`;

const BACKLOG_PY = `def drain(jobs):
    queue = list(jobs)
    done = []
    while queue:
        done.append(queue.pop(0))
    return done
`;

const FIXALL_PY = `def first(jobs):
    queue = list(jobs)
    out = []
    while queue:
        out.append(queue.pop(0))
    return out


def second(jobs):
    queue = list(jobs)
    total = 0
    while queue:
        total += queue.pop(0)
    return total
`;

/** Files under `dir` (recursively) whose path matches `want`. */
function findFiles(dir: string, want: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? findFiles(p, want) : want(p) ? [p] : [];
  });
}

/** 1-based [line, column] of the first occurrence of `text` in `file`. */
function positionOf(file: string, text: string): [number, number] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} not found in ${file}`);
  return [i + 1, lines[i].indexOf(text) + 1];
}

const skip = missingPrerequisite();

describe('Hotpath in a real VS Code (code-server)', { skip: skip && process.env.CI !== 'true' ? skip : false }, () => {
  let server: CodeServer;
  let browser: Browser;
  let wb: Workbench;
  let workspace: string;
  let model: string | undefined;

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
    model = await testModelPath();
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
    // A function the user wrote and wants measured: typed, so the benchmark can generate inputs.
    writeFileSync(join(workspace, 'measure.py'), MEASURE_PY);
    // Never opened: its findings reach Problems through workspace diagnostics only.
    writeFileSync(join(workspace, 'backlog.py'), BACKLOG_PY);
    // Two safe fixes (HP102, one shared import) for Fix All.
    writeFileSync(join(workspace, 'fixall.py'), FIXALL_PY);
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
    if (server) {
      writeFileSync(join(ARTIFACTS, 'code-server.log'), server.log);
      // VS Code writes each log output channel to user-data/logs/…: keep Hotpath's (client and server).
      for (const f of findFiles(join(server.userDataDir, 'logs'), (n) => /hotpath/i.test(n))) cpSync(f, join(ARTIFACTS, `vscode-${relative(join(server.userDataDir, 'logs'), f).replace(/[\/]/g, '_')}`));
    }
    writeFileSync(join(ARTIFACTS, 'suite.log'), logLines.join('\n') + '\n');
    server?.cleanup();
  });

  test('the extension activates on a Python file and its command runs', { timeout: STEP_TIMEOUT }, async () => {
    await step('python-file-opened', async () => {
      await wb.openFile('orders.py');
      await wb.command('Hotpath: Show Output');
      // The command exists and the "Hotpath" channel is selected in the Output view only once the
      // client has activated.
      await until('the Output view to show the Hotpath channel', async () =>
        wb.page.locator('.part.panel select.monaco-select-box').evaluateAll((sels) =>
          sels.some((s) => { const e = s as HTMLSelectElement; return e.selectedIndex >= 0 && e.options[e.selectedIndex].text === 'Hotpath'; })));
    });
  });

  test('the Problems panel lists Hotpath findings with their codes, the same as the CLI', { timeout: STEP_TIMEOUT }, async () => {
    for (const file of ['orders.py', 'inventory.js', 'users.ts']) {
      // What `hotpath check` reports for the file is what the editor must show.
      const findings = cliFindings(join(workspace, file));
      assert.ok(findings.length > 0, `the CLI reports nothing for ${file}`);
      assert.ok(findings.some((f) => /^HP[12]/.test(f.code)), `no HP1xx/HP2xx finding for ${file}: ${findings.map((f) => f.code).join(', ')}`);
      await step(`problems-${file.replace('.', '-')}-opened`, async () => {
        await wb.openFile(file);
        await wb.problemsActiveFileOnly();
      });
      for (const f of findings) {
        const where = `${f.code}[Ln ${f.line}, Col ${f.column}]`;
        await step(`problems-${file.replace('.', '-')}-${f.code}`, async () => {
          // The list is virtual (only rows in view exist): show this code in this file only.
          const rows = await wb.problems(f.code, (r) => r.some((t) => t.includes(where)));
          log(`problems (${f.code}) in ${file}:\n${rows.join('\n')}`);
        });
      }
      await wb.problems('', (r) => r.length > 0);
    }
  });

  test('hovering a finding explains it', { timeout: STEP_TIMEOUT }, async () => {
    await step('hover', async () => {
      await wb.openFile('orders.py');
      // HP101: `order["customer"] not in known` tests membership on a list inside a loop.
      await wb.goTo(...positionOf(join(workspace, 'orders.py'), 'not in known'));
      await wb.command('Show or Focus Hover');
      const hover = wb.page.locator('.monaco-hover:not(.hidden)').first();
      await hover.waitFor({ state: 'visible' });
      const text = await until('the hover to show Hotpath\'s finding', async () => {
        const t = (await hover.textContent()) ?? '';
        return /HP101/.test(t) && /\bset\b/.test(t) ? t : undefined;
      });
      log(`hover: ${text}`);
    });
  });

  test('a quick fix rewrites the file', { timeout: STEP_TIMEOUT }, async () => {
    const file = join(workspace, 'orders.py');
    const before = readFileSync(file, 'utf8');
    // HP102: `queue.pop(0)` in a loop; its fix switches to collections.deque and popleft().
    await step('quick-fix-menu', async () => {
      await wb.openFile('orders.py');
      await wb.goTo(...positionOf(file, 'queue.pop(0)'));
      await wb.command('Quick Fix...');
      await wb.page.locator('.action-widget .monaco-list-row.action', { hasText: /deque/i }).first().waitFor();
    });
    let title = '';
    await step('quick-fix-applied', async () => {
      title = await wb.chooseAction(/deque/i);
      log(`quick fix: ${title}`);
      await until('the editor to show popleft()', async () => (await wb.visibleText()).includes('popleft()'));
      await wb.command('File: Save');
      await until('orders.py to change on disk', async () => readFileSync(file, 'utf8') !== before);
    });
    const afterText = readFileSync(file, 'utf8');
    writeFileSync(join(ARTIFACTS, 'orders.fixed.py'), afterText);
    assert.match(afterText, /^(from collections import deque|import collections)$/m, `quick fix "${title}" added no deque import`);
    assert.match(afterText, /queue = (collections\.)?deque\(/);
    assert.match(afterText, /queue\.popleft\(\)/);
    assert.doesNotMatch(afterText, /queue\.pop\(0\)/);
  });

  test('Benchmark Function at Cursor runs and shows its chart', { timeout: STEP_TIMEOUT * 2 }, async () => {
    await step('benchmark-chart', async () => {
      await wb.openFile('measure.py');
      await wb.goTo(...positionOf(join(workspace, 'measure.py'), 'count = 0'));
      await wb.command('Hotpath: Benchmark Function at Cursor');
      // The chart lives in a webview: an iframe inside an iframe, swapped for a new one while it
      // loads, so every round looks again through all frames for a drawn canvas and the fitted class.
      const text = await until('the benchmark chart and its fitted complexity', async () => {
        await wb.throwOnErrorNotification();
        for (const frame of wb.page.frames()) {
          if (frame.isDetached()) continue;
          try {
            const canvas = frame.locator('canvas').first();
            if (!(await canvas.count())) continue;
            const box = await canvas.boundingBox();
            const t = (await frame.locator('body').textContent()) ?? '';
            if (box && box.width > 50 && box.height > 50 && /O\(n(²|\^2)\)/.test(t)) return t;
          } catch { /* the frame went away mid-check */ }
        }
        return undefined;
      }, STEP_TIMEOUT);
      log(`benchmark view: ${text.replace(/\s+/g, ' ').slice(0, 400)}`);
      await wb.focusWorkbench(); // the webview may hold the keyboard focus
    });
  });

  test('ghost text appears after typing, from the configured model', { timeout: STEP_TIMEOUT }, async () => {
    await step('ghost-text', async () => {
      await wb.openFile('inventory.js');
      await wb.goTo(...positionOf(join(workspace, 'inventory.js'), 'let total = 0;'));
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.type('for (const item of ', { delay: 30 });
      await wb.command('Trigger Inline Suggestion');
      const ghost = await until('ghost text in the editor', async () => {
        const texts = await wb.editor().locator('[class*="ghost-text"]').allTextContents();
        return texts.join('').trim().length > 0 ? texts.join('') : undefined;
      });
      log(`ghost text: ${ghost}`);
    });
  });

  test('a file never opened is listed in Problems (workspace diagnostics), and the status bar counts it', { timeout: STEP_TIMEOUT }, async () => {
    await step('workspace-diagnostics', async () => {
      await wb.problemsAllFiles();
      const rows = await wb.problems('HP102', (r) => r.some((t) => t.includes('backlog.py')) && r.some((t) => /HP102\[Ln 5, Col \d+\]/.test(t)));
      log(`workspace diagnostics: ${rows.join(' | ')}`);
      const status = await until('the analysis status item', async () => {
        const texts = await wb.page.locator('.statusbar-item').allTextContents();
        return texts.find((t) => /Hotpath: \d+ findings?/.test(t));
      });
      log(`status item: ${status}`);
    });
  });

  test("the rule code links to the rule's page", { timeout: STEP_TIMEOUT }, async () => {
    await step('rule-page', async () => {
      await wb.problemsAllFiles();
      await wb.problems('HP102', (r) => r.some((t) => t.includes('backlog.py')));
      const link = wb.page.locator('.markers-panel .monaco-link', { hasText: 'HP102' }).first();
      await link.waitFor({ state: 'visible' });
      log(`code link: ${await link.getAttribute('href')}`);
      await link.click();
      await wb.page.locator('.tabs-container .tab', { hasText: 'HP102.md' }).first().waitFor();
      await until('the rule page rendered', async () => {
        for (const frame of wb.page.frames()) {
          try { if (/HP102 list-pop-front-in-loop/.test((await frame.locator('body').textContent()) ?? '')) return true; } catch { /* navigating */ }
        }
        return false;
      });
      await wb.focusWorkbench();
      await wb.command('View: Close Editor');
    });
  });

  test('Fix All applies every safe fix', { timeout: STEP_TIMEOUT }, async () => {
    const file = join(workspace, 'fixall.py');
    await step('fix-all', async () => {
      await wb.openFile('fixall.py');
      await wb.command('Hotpath: Fix All Safe Findings in File');
      await until('both fixes in the editor', async () => ((await wb.visibleText()).match(/popleft\(\)/g) ?? []).length === 2);
      await wb.command('File: Save');
      await until('fixall.py to change on disk', async () => readFileSync(file, 'utf8') !== FIXALL_PY);
    });
    const fixed = readFileSync(file, 'utf8');
    assert.equal(fixed.match(/^from collections import deque$/gm)?.length, 1, fixed);
    assert.equal(fixed.match(/queue\.popleft\(\)/g)?.length, 2, fixed);
  });

  test('code lenses follow hotpath.codeLens.enable and hotpath.enable', { timeout: STEP_TIMEOUT }, async () => {
    await step('code-lens-setting', async () => {
      await wb.openFile('measure.py');
      const shown = await until('the complexity lens on count_pairs', async () => (await wb.codeLenses()).find((t) => /^O\(n²\) · n = len\(xs\)/.test(t)));
      log(`lens: ${shown}`);
      await wb.setSetting('hotpath.codeLens.enable', false);
      await wb.openFile('measure.py');
      await until('no lens with hotpath.codeLens.enable off', async () => (await wb.codeLenses()).length === 0);
      await wb.setSetting('hotpath.codeLens.enable', true);
      await wb.openFile('measure.py');
      await until('the lens back', async () => (await wb.codeLenses()).length > 0);
      await wb.setSetting('hotpath.enable', false);
      await wb.openFile('measure.py');
      await until('no lens with hotpath.enable off', async () => (await wb.codeLenses()).length === 0);
      await wb.setSetting('hotpath.enable', true);
      await wb.openFile('measure.py');
      await until('the lens back again', async () => (await wb.codeLenses()).length > 0);
    });
  });

  test('without a model, Optimize is replaced by "Set up a model", which offers the bundled model', { timeout: STEP_TIMEOUT }, async () => {
    await step('no-model', async () => {
      await wb.setSetting('hotpath.model.path', '');
      try {
        await wb.openFile('orders.py');
        await wb.goTo(...positionOf(join(workspace, 'orders.py'), 'not in known'));
        const labels = await until('the quick fixes without a model', async () => {
          await wb.command('Quick Fix...');
          const rows = wb.page.locator('.action-widget .monaco-list-row.action');
          await rows.first().waitFor({ timeout: 10_000 });
          const l = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
          if (l.some((x) => /Set up a model/.test(x))) return l;
          await wb.page.keyboard.press('Escape');
          return undefined;
        });
        log(`quick fixes without a model: ${labels.join(' | ')}`);
        assert.ok(!labels.some((l) => /Optimize with local model/.test(l)), labels.join(' | '));
        await wb.chooseAction(/Set up a model/);
        const rows = await until('the model quick pick', async () => {
          const r = await wb.quickPickRows();
          return r.some((x) => /hotpath-code-tiny/.test(x)) ? r : undefined;
        });
        log(`set up a model: ${rows.join(' | ')}`);
        assert.ok(rows.some((x) => /Download a Model/.test(x)) && rows.some((x) => /Choose a GGUF File/.test(x)), rows.join(' | '));
        await wb.page.keyboard.press('Escape');
      } finally {
        if (model) await wb.setSetting('hotpath.model.path', model);
      }
    });
  });

  test('activation time, as VS Code measures it', { timeout: STEP_TIMEOUT }, async () => {
    await step('activation-time', async () => {
      await wb.command('Developer: Show Running Extensions');
      const row = wb.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Hotpath' }).first();
      await row.waitFor();
      const text = (await until('an activation time for Hotpath', async () => {
        const t = ((await row.textContent()) ?? '').replace(/\s+/g, ' ');
        return /\d+\s*ms/.test(t) ? t : undefined;
      })) as string;
      log(`running extensions: ${text}`);
      writeFileSync(join(ARTIFACTS, 'activation.txt'), `${text}\n`);
      await wb.command('View: Close Editor');
    });
  });

  test('the walkthrough tells a new user what to do first', { timeout: STEP_TIMEOUT }, async () => {
    await step('walkthrough', async () => {
      await wb.command('Welcome: Open Walkthrough...', { opensQuickPick: true });
      const input = wb.page.locator('.quick-input-widget .quick-input-box input[placeholder="Select a walkthrough to open"]');
      await input.waitFor({ state: 'visible' });
      await input.fill('Hotpath');
      await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Get started with Hotpath' }).first().waitFor();
      await input.press('Enter');
      const editor = wb.page.locator('.editor-group-container.active');
      await editor.getByText('Get started with Hotpath', { exact: true }).first().waitFor();
      for (const title of ['See findings in open files and the whole workspace', 'Hover a finding, then fix it', 'Measure a function', 'Set up a local model']) {
        await editor.getByText(title, { exact: true }).first().waitFor({ state: 'attached' });
      }
      // The selected step's page (media/walkthrough/findings.md) renders in a webview.
      await until('the first step\'s page', async () => {
        for (const frame of wb.page.frames()) {
          try { if (/Findings as you type, and for the whole workspace/.test((await frame.locator('body').textContent()) ?? '')) return true; } catch { /* navigating */ }
        }
        return false;
      });
    });
  });
});

// Workspace trust (capabilities.untrustedWorkspaces = limited): in Restricted Mode the analysis runs,
// running code does not (the benchmark commands are not offered).
describe('Hotpath in Restricted Mode (untrusted folder)', { skip: skip && process.env.CI !== 'true' ? skip : false }, () => {
  let server: CodeServer;
  let browser: Browser;
  let wb: Workbench;

  before(async () => {
    if (skip) throw new Error(skip);
    server = new CodeServer({
      vsix: packagedVsix(),
      log,
      workspaceTrust: true,
      settings: {
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never', // open untrusted, without asking
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
      },
    });
    const workspace = join(server.home, 'examples');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    server.installExtension();
    browser = await launchBrowser();
    wb = await Workbench.open(browser, await server.start(), workspace, log);
  }, { timeout: STEP_TIMEOUT * 2 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (server) writeFileSync(join(ARTIFACTS, 'code-server-restricted.log'), server.log);
    server?.cleanup();
  });

  test('findings appear, benchmarking is not offered', { timeout: STEP_TIMEOUT }, async () => {
    try {
      await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
      await wb.openFile('orders.py');
      await wb.problems('HP101', (r) => r.some((t) => /HP101\[Ln \d+, Col \d+\]/.test(t)));
      await wb.screenshot('restricted-mode-findings');
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.press('F1');
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      await input.fill('>Hotpath:');
      const rows = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await rows.filter({ hasText: 'Hotpath: Show Output' }).first().waitFor();
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      await wb.screenshot('restricted-mode-commands');
      log(`commands in Restricted Mode: ${labels.join(' | ')}`);
      assert.ok(!labels.some((l) => l.startsWith('Hotpath: Benchmark Function at Cursor')), `benchmarking is offered in Restricted Mode: ${labels.join(' | ')}`);
      await wb.page.keyboard.press('Escape');
    } catch (e) {
      await wb.screenshot('restricted-mode-FAILED').catch(() => {});
      throw e;
    }
  });
});
