// Runs inside VS Code's extension host (extensionTestsPath): no mocha, a few sequential checks with
// node:assert through the vscode API, each waiting on a condition. Throws on the first failure, which
// makes test-electron's runTests return a non-zero exit code.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const TIMEOUT = 60_000;

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeout = TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

const checks: [string, () => Promise<void>][] = [];
const check = (name: string, fn: () => Promise<void>) => checks.push([name, fn]);
const workspace = process.env.HOTPATH_E2E_WORKSPACE!;
const orders = () => vscode.Uri.file(join(workspace, 'orders.py'));

check('the extension activates on a Python file', async () => {
  const ext = vscode.extensions.getExtension('hotpath.hotpath');
  assert.ok(ext, 'hotpath.hotpath is not loaded');
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(orders()));
  await until('activation', () => ext.isActive);
  const commands = await vscode.commands.getCommands(true);
  for (const c of ['hotpath.showOutput', 'hotpath.benchmarkFunction']) assert.ok(commands.includes(c), `command ${c} is not registered`);
});

check('diagnostics carry Hotpath codes', async () => {
  const diags = await until('Hotpath diagnostics on orders.py', () => {
    const d = vscode.languages.getDiagnostics(orders()).filter((x) => x.source === 'hotpath');
    return d.some((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'HP101') ? d : undefined;
  });
  assert.ok(diags.every((d) => /^HP\d{3}$/.test(String(typeof d.code === 'object' ? d.code.value : d.code))));
});

check('the hover explains HP101', async () => {
  const doc = await vscode.workspace.openTextDocument(orders());
  const pos = doc.positionAt(doc.getText().indexOf('not in known'));
  const text = await until('a Hotpath hover', async () => {
    const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
    return /HP101/.test(t) ? t : undefined;
  });
  assert.match(text, /\bset\b/);
});

check('the HP102 quick fix switches to collections.deque', async () => {
  const doc = await vscode.workspace.openTextDocument(orders());
  const at = doc.getText().indexOf('queue.pop(0)');
  const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'queue.pop(0)'.length));
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => /deque/i.test(a.title));
  assert.ok(fix, `no deque fix among: ${actions.map((a) => a.title).join(', ')}`);
  if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit));
  if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  const text = await until('the fixed text', () => (doc.getText().includes('popleft()') ? doc.getText() : undefined));
  assert.match(text, /^(from collections import deque|import collections)$/m);
  assert.doesNotMatch(text, /queue\.pop\(0\)/);
});

export async function run(): Promise<void> {
  const results: string[] = [];
  try {
    for (const [name, fn] of checks) {
      await fn();
      results.push(`ok ${name}`);
    }
  } catch (e) {
    results.push(`FAILED ${checks[results.length][0]}: ${(e as Error).stack ?? e}`);
    throw e;
  } finally {
    if (process.env.HOTPATH_E2E_ARTIFACTS) writeFileSync(join(process.env.HOTPATH_E2E_ARTIFACTS, 'results.txt'), results.join('\n') + '\n');
    console.log(results.join('\n'));
  }
}
