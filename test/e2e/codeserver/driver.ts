// Drives a real VS Code (code-server 4.100.3 = VS Code 1.100.3) in Debian's chromium through
// playwright-core, as a user would: install the packaged .vsix, open a folder, use the keyboard and
// read what the workbench shows. Every wait is on a condition in the page, never a fixed sleep.
// Installed by test/e2e/setup-code-server.sh; recipe in shared/notes/environment.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = resolve(process.env.HOTPATH_E2E_ARTIFACTS ?? join(ROOT, 'test-artifacts', 'e2e'));
const CODE_SERVER_DIR = resolve(process.env.HOTPATH_CODE_SERVER_DIR ?? join(ROOT, '.cache', 'code-server'));
export const CODE_SERVER_ENTRY = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.HOTPATH_CHROMIUM ?? '/usr/bin/chromium';
/** Generous bound for one UI condition; CI runs on 2 shared cores. */
export const UI_TIMEOUT = Number(process.env.HOTPATH_E2E_TIMEOUT_MS ?? 60_000);

/** Why the code-server suite cannot run here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(CODE_SERVER_ENTRY)) return `code-server is not installed at ${CODE_SERVER_ENTRY}: run \`bash test/e2e/setup-code-server.sh\``;
  if (!existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM}: run \`bash test/e2e/setup-code-server.sh\` (apt-get install chromium) or set HOTPATH_CHROMIUM`;
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export interface CodeServerOptions {
  vsix: string;
  /** User settings (settings.json) written before start. */
  settings: Record<string, unknown>;
  log?: (line: string) => void;
  /** Keep VS Code's workspace trust on (default: off, every folder trusted). */
  workspaceTrust?: boolean;
}

/** One code-server process with its own user-data and extensions directories. */
export class CodeServer {
  readonly home: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  port = 0;
  private proc?: ChildProcess;
  private output = '';

  constructor(private readonly opts: CodeServerOptions) {
    mkdirSync(join(ROOT, '.cache', 'e2e'), { recursive: true });
    this.home = mkdtempSync(join(ROOT, '.cache', 'e2e', 'run-'));
    this.userDataDir = join(this.home, 'user-data');
    this.extensionsDir = join(this.home, 'extensions');
    mkdirSync(join(this.userDataDir, 'User'), { recursive: true });
    mkdirSync(this.extensionsDir, { recursive: true });
    writeFileSync(join(this.userDataDir, 'User', 'settings.json'), JSON.stringify(opts.settings, null, 2));
  }

  private args(): string[] {
    return [CODE_SERVER_ENTRY, '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir,
      '--disable-telemetry', '--disable-update-check'];
  }

  private env(): NodeJS.ProcessEnv {
    // Keep the user's and CI's own config out; code-server reads ~/.config/code-server/config.yaml.
    return { ...process.env, HOME: this.home, XDG_CONFIG_HOME: join(this.home, 'config'), XDG_DATA_HOME: join(this.home, 'data'), PASSWORD: undefined, VSCODE_IPC_HOOK_CLI: undefined };
  }

  /** `code-server --install-extension <vsix>`, as a user would. Returns the CLI's output. */
  installExtension(): string {
    const r = spawnSync(process.execPath, [...this.args(), '--install-extension', this.opts.vsix], { env: this.env(), encoding: 'utf8', timeout: 180_000 });
    const out = `${r.stdout}${r.stderr}`;
    if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}): ${out}`);
    return out;
  }

  async start(): Promise<string> {
    this.port = await freePort();
    const proc = spawn(process.execPath, [...this.args(), '--auth', 'none', '--bind-addr', `127.0.0.1:${this.port}`,
      ...(this.opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--ignore-last-opened'], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    const onData = (b: Buffer) => {
      const s = b.toString();
      this.output += s;
      for (const line of s.split('\n')) if (line.trim()) this.opts.log?.(`[code-server] ${line}`);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`code-server did not start in ${UI_TIMEOUT} ms:\n${this.output}`)), UI_TIMEOUT);
      const check = () => { if (/HTTP server listening/.test(this.output)) { clearTimeout(timer); ok(); } };
      proc.stdout!.on('data', check);
      proc.stderr!.on('data', check);
      proc.once('exit', (code) => { clearTimeout(timer); fail(new Error(`code-server exited (${code}):\n${this.output}`)); });
    });
    return `http://127.0.0.1:${this.port}`;
  }

  get log(): string { return this.output; }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((ok) => proc.once('exit', ok));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  cleanup(): void {
    if (!process.env.HOTPATH_E2E_KEEP) rmSync(this.home, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A workbench page and the user's actions on it. */
export class Workbench {
  private shot = 0;
  constructor(readonly page: Page, private readonly log: (line: string) => void = () => {}) {}

  static async open(browser: Browser, url: string, folder: string, log?: (line: string) => void): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('console', (m) => { if (m.type() === 'error') log?.(`[browser] ${m.text()}`); });
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor();
    // The explorer shows the folder once the workspace is up.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
    return new Workbench(page, log);
  }

  /** Saves test-artifacts/e2e/NN-name.png. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${String(++this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    this.log(`screenshot ${path}`);
    return path;
  }

  /** Takes the keyboard focus back from a webview (an iframe keeps keys such as Ctrl+P to itself). */
  async focusWorkbench(): Promise<void> {
    await this.page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      if (active && active.tagName === 'IFRAME') active.blur();
    });
  }

  /** Runs a command by its palette label (F1, type, Enter on the exact match). */
  async command(label: string, opts: { opensQuickPick?: boolean } = {}): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.focusWorkbench();
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: label }).first().waitFor({ state: 'visible' });
    // Fuzzy matching may rank another command first ("File: Compare Active File with Saved" for
    // "File: Save"): move the focus down to the row whose label is exactly `label`.
    const focusedLabel = () => this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .label-name').first().textContent();
    const count = await rows.count();
    for (let i = 0; (await focusedLabel()) !== label; i++) {
      if (i > count) throw new Error(`the Command Palette has no command labelled "${label}"`);
      await input.press('ArrowDown');
    }
    await input.press('Enter');
    // A command that asks for something next keeps the quick input open with a new list.
    if (!opts.opensQuickPick) await input.waitFor({ state: 'hidden' });
  }

  /** Opens a file by quick open (Ctrl+P) and waits for its editor to be active. */
  async openFile(relPath: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.focusWorkbench();
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible' });
    await input.fill(relPath);
    const base = relPath.split('/').pop()!;
    // The list first shows recently opened files: wait until the filtered list has focused this one.
    await this.page.waitForFunction((b) => {
      const f = document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row.focused');
      return !!f && (f.getAttribute('aria-label') ?? f.textContent ?? '').startsWith(b);
    }, base);
    await input.press('Enter');
    await this.page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).waitFor();
    await this.editor().locator('.view-lines').waitFor();
    await this.editor().click({ position: { x: 200, y: 10 } }); // focus the text
  }

  /** The active editor's Monaco element. */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor[data-uri]').first();
  }

  /** Moves the cursor with Go to Line/Column (Ctrl+G) to 1-based line:column. */
  async goTo(line: number, column = 1): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.page.keyboard.press('Control+G');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await this.page.waitForFunction(([l, c]) => {
      const item = [...document.querySelectorAll('.statusbar-item')].find((e) => /Ln \d+, Col \d+/.test(e.textContent ?? ''));
      return !!item && (item.textContent ?? '').includes(`Ln ${l}, Col ${c}`);
    }, [line, column]);
  }

  /** In an open action widget (Quick Fix menu), moves the focus to the action matching `label` and
   *  applies it with Enter (the widget's pointer block swallows mouse clicks). Returns its label. */
  async chooseAction(label: RegExp): Promise<string> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor();
    const labels = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? '')));
    if (!labels.some((l) => label.test(l))) throw new Error(`no action matches ${label}: ${labels.join(' | ')}`);
    for (let i = 0; i <= labels.length; i++) {
      const focused = await this.page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label').catch(() => null);
      if (focused && label.test(focused)) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
        return focused;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not focus the action ${label}`);
  }

  /** Moves to the next problem in the active file (Alt+F8 / F8) and closes its peek widget. */
  async nextProblemInFile(): Promise<void> {
    await this.command('Go to Next Problem (Error, Warning, Info)');
    await this.page.locator('.marker-widget').first().waitFor({ state: 'visible' });
    await this.page.keyboard.press('Escape');
    await this.page.locator('.marker-widget').first().waitFor({ state: 'hidden' });
  }

  /** Sets the Problems panel's "Show Active File Only" (More Filters… menu) on or off; idempotent. */
  async problemsActiveFileOnly(on = true): Promise<void> {
    await this.command('View: Focus Problems (Errors, Warnings, Infos)');
    await this.page.locator('.part.panel a[aria-label="More Filters..."]').click();
    const item = this.page.locator('.monaco-menu .action-menu-item', { hasText: 'Show Active File Only' }).first();
    await item.waitFor({ state: 'visible' });
    if (((await item.getAttribute('aria-checked')) === 'true') === on) {
      await this.page.keyboard.press('Escape');
      return;
    }
    // Menu items act on keyboard reliably; a synthetic click sometimes only highlights them.
    await item.hover();
    await item.focus();
    await this.page.keyboard.press('Enter');
    await item.waitFor({ state: 'hidden' });
  }

  /** The whole workspace in the Problems panel ("Show Active File Only" off). */
  problemsAllFiles(): Promise<void> {
    return this.problemsActiveFileOnly(false);
  }

  /**
   * Changes a user setting the way a user does, in the Settings editor (code-server does not notice
   * settings.json rewritten behind its back): search the key, tick the box or type the value.
   */
  async setSetting(key: string, value: boolean | string): Promise<void> {
    await this.command('Preferences: Open User Settings');
    const editor = this.page.locator('.settings-editor');
    await editor.waitFor();
    await editor.locator('.settings-header .suggest-input-container .monaco-editor').first().click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(key);
    const row = editor.locator(`.setting-item-contents[data-key="${key}"]`).first();
    await row.waitFor();
    if (typeof value === 'boolean') {
      const box = row.locator('.setting-value-checkbox');
      // A click can be lost while the Settings editor re-renders the row it found (CI, stop 29: the box
      // stayed unticked for the whole wait): click again, but only after the last click has had 2 s to
      // show, so two clicks are never in flight at once.
      let clicked = 0;
      await until(`${key} = ${value}`, async () => {
        if (((await box.getAttribute('aria-checked')) === 'true') === value) return true;
        if (Date.now() - clicked > 2000) {
          await box.click();
          clicked = Date.now();
        }
        return false;
      });
    } else {
      const input = row.locator('input').first();
      await input.fill(value);
      await input.press('Tab');
      await until(`${key} = "${value}"`, async () => (await input.inputValue()) === value);
    }
    this.log(`setting ${key} = ${JSON.stringify(value)}`);
    await this.command('View: Close Editor');
  }

  /** Texts of the code lenses shown in the active editor. */
  async codeLenses(): Promise<string[]> {
    return (await this.editor().locator('.codelens-decoration').allTextContents()).map((t) => t.replace(/\u00a0/g, ' ').trim()).filter(Boolean);
  }

  /** Labels of the rows of the open quick pick. */
  async quickPickRows(): Promise<string[]> {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  }

  /** Opens the Problems panel and types `filter` into its filter box; returns the rows shown once
   *  `predicate` holds for them (the list is virtual: only rows in view exist, hence the filter). */
  async problems(filter: string, predicate: (rows: string[]) => boolean): Promise<string[]> {
    await this.command('View: Focus Problems (Errors, Warnings, Infos)');
    const box = this.page.locator('.part.panel input[placeholder^="Filter (e.g."]').first();
    await box.waitFor({ state: 'visible' });
    await box.fill(filter);
    const rows = this.page.locator('.markers-panel .monaco-tl-row');
    let last: string[] = [];
    const deadline = Date.now() + UI_TIMEOUT;
    while (Date.now() < deadline) {
      last = (await rows.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
      if (predicate(last)) return last;
      await this.page.waitForTimeout(250); // poll the panel; the condition is checked each round
    }
    throw new Error(`Problems panel (filter "${filter}") never matched; last rows:\n${last.join('\n')}`);
  }

  /** Text of the visible editor lines (Monaco renders only what is on screen). */
  async visibleText(): Promise<string> {
    return (await this.editor().locator('.view-lines .view-line').allTextContents()).join('\n').replace(/\u00a0/g, ' ');
  }

  /** Fails fast when the workbench shows an error notification from Hotpath. */
  async throwOnErrorNotification(): Promise<void> {
    const toasts = await this.page.locator('.notification-toast .notification-list-item').evaluateAll((els) =>
      els.filter((e) => e.querySelector('.codicon-error')).map((e) => e.textContent ?? ''));
    const ours = toasts.find((t) => /Hotpath/i.test(t));
    if (ours) throw new Error(`VS Code shows an error: ${ours}`);
  }

  /** All frames whose document contains `selector` (webviews are nested iframes). */
  async frameWith(selector: string, timeout = UI_TIMEOUT): Promise<Frame> {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      await this.throwOnErrorNotification();
      for (const f of this.page.frames()) {
        try { if (await f.locator(selector).count()) return f; } catch { /* frame navigating */ }
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no frame shows ${selector}`);
  }
}

/** Waits until `fn` returns a truthy value (polling), or throws with the last value seen. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false | null>, timeout = UI_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try { const v = await fn(); if (v) return v; } catch (e) { lastError = e; }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
