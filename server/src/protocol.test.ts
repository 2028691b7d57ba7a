// The wire protocol is declared once (protocol.ts) and both ends use that one declaration.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import * as protocol from './protocol';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

test('every hotpath/* method is declared once, in protocol.ts', () => {
  const methods = Object.values(protocol as Record<string, unknown>)
    .filter((v): v is { method: string } => typeof v === 'object' && v !== null && typeof (v as { method?: unknown }).method === 'string')
    .map((v) => v.method);
  assert.ok(methods.length >= 13, `protocol.ts declares ${methods.length} methods`);
  for (const m of methods) assert.match(m, /^hotpath\//);
  // A request and the notification of the same name (model status) are the only repetition allowed.
  const counts = new Map<string, number>();
  for (const m of methods) counts.set(m, (counts.get(m) ?? 0) + 1);
  for (const [m, n] of counts) assert.ok(n <= 2, `${m} declared ${n} times`);

  const offenders: string[] = [];
  for (const dir of ['client', 'server', 'test', 'scripts', 'bench']) {
    for (const file of sources(join(ROOT, dir))) {
      if (file.endsWith(join('server', 'src', 'protocol.ts')) || file.endsWith('protocol.test.ts')) continue;
      const text = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, ''); // comments may name methods
      for (const m of text.matchAll(/['"`](hotpath\/[\w/]+)['"`]/g)) offenders.push(`${relative(ROOT, file)}: ${m[1]}`);
    }
  }
  assert.deepEqual(offenders, [], 'method strings outside protocol.ts: use the typed declaration instead');
});

test('client and server libraries share one vscode-languageserver-protocol (message types are the same objects)', () => {
  const req = createRequire(join(ROOT, 'package.json'));
  const fromServer = createRequire(req.resolve('vscode-languageserver/node')).resolve('vscode-languageserver-protocol');
  const fromClient = createRequire(req.resolve('vscode-languageclient/node')).resolve('vscode-languageserver-protocol');
  const fromProtocol = req.resolve('vscode-languageserver-protocol');
  assert.equal(fromServer, fromProtocol);
  assert.equal(fromClient, fromProtocol);
});
