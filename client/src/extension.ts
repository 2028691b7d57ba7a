// The Hotpath VS Code client: starts the language server and lists the client features. Kept thin:
// analysis, execution and inference all live in the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { TrustNotification } from '../../server/src/protocol';
import { register as analysis, ruleLinkMiddleware } from './analysis';
import { register as benchmark } from './benchmark';
import { register as completion } from './completion';
import { register as model } from './model';
import { register as optimize } from './optimize';

/** Each client feature registers its commands, views and status items: `import { register as x } from './x'`. */
type ClientFeature = (context: vscode.ExtensionContext, client: LanguageClient) => void;
const CLIENT_FEATURES: ClientFeature[] = [analysis, model, benchmark, completion, optimize];

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const output = vscode.window.createOutputChannel('Hotpath', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact'].map((language) => ({ language })),
    outputChannel: output,
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    synchronize: {
      configurationSection: 'hotpath',
      fileEvents: [
        // The server caches each file's project rule selection until one of these changes.
        vscode.workspace.createFileSystemWatcher('**/{hotpath.toml,.hotpath.toml,pyproject.toml,package.json,.gitignore}'),
        // Workspace diagnostics follow the source files on disk.
        vscode.workspace.createFileSystemWatcher('**/*.{py,pyi,js,jsx,mjs,cjs,ts,tsx,mts,cts}'),
      ],
    },
    middleware: ruleLinkMiddleware,
  };
  client = new LanguageClient('hotpath', 'Hotpath', serverOptions, clientOptions);
  for (const register of CLIENT_FEATURES) register(context, client);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(TrustNotification, { trusted: true })),
    vscode.commands.registerCommand('hotpath.showOutput', () => output.show()),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
