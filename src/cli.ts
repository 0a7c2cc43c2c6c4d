import { KolmoError } from './index.js';
import { OptionRangeError } from './options.js';
import { parseArgs, UsageError, type Args } from './cli/args.js';
import { cliNames, KolmoCliError, systemErrorText } from './cli/errors.js';
import { benchOne, runBench } from './cli/commands/bench.js';
import { runCoding, runTest } from './cli/commands/code.js';
import { printHelp } from './cli/commands/help.js';
import { printInfo } from './cli/commands/info.js';
import { runMeasure } from './cli/commands/measure.js';
import { runSample } from './cli/commands/sample.js';

// The `kolmo` command line: gzip-like compress / decompress, info, bench, sample, measure.
// main() dispatches to src/cli/commands/ and turns every failure into one line on stderr and
// exit status 1. The parts: cli/args.ts (argv), cli/progress.ts, cli/publish.ts (output files
// through a temporary file), cli/errors.ts (messages).

export async function main(argv: string[]): Promise<number> {
  let a: Args | null = null;
  try {
    if (argv[0] === '__bench-one') {
      await benchOne(argv.slice(1));
      return 0;
    }
    a = parseArgs(argv);
    switch (a.command) {
      case 'compress':
      case 'decompress': {
        // Every FILE in turn (standard input when there is none); the first failure stops.
        const mode = a.command;
        for (const file of a.files.length > 0 ? a.files : [null]) {
          a.file = file;
          if (a.test) await runTest(file);
          else await runCoding(a, mode);
        }
        return 0;
      }
      case 'info':
        if (!a.file) throw new UsageError('info needs a FILE');
        printInfo(a.file);
        return 0;
      case 'bench':
        await runBench(a.file ?? undefined, { threads: a.threads, levels: a.level ? [a.level] : undefined, svgDir: a.svg });
        return 0;

      case 'sample':
        if (a.file) throw new UsageError('sample takes no FILE (use --prompt-file)');
        await runSample(a);
        return 0;
      case 'measure':
        if (!a.file) throw new UsageError('measure needs a FILE');
        runMeasure(a);
        return 0;
      case 'help':
        printHelp();
        return 0;
      default:
        throw new UsageError(a.command ? `unknown command ${a.command}` : 'missing command');
    }
  } catch (e) {
    const err = e as Error & { code?: string; path?: string };
    if (err instanceof UsageError) {
      process.stderr.write(`kolmo: ${err.message} (kolmo --help for usage)\n`);
      return 1;
    }
    if (err.code === 'EPIPE') return 1;
    if (err instanceof OptionRangeError) {
      // An option the library refused (-l 3, --top-p 2): about the command line, not a file.
      process.stderr.write(`kolmo: ${cliNames(err.message)}\n`);
      if (a?.verbose && err.stack) process.stderr.write(err.stack + '\n');
      return 1;
    }
    const subject = err instanceof KolmoCliError ? err.subject : err.path ?? a?.file ?? 'stdin';
    let msg = err.message;
    if (err.code && /^E[A-Z]+$/.test(err.code) && !(err instanceof KolmoError)) msg = systemErrorText(err.code);
    else if (!(err instanceof KolmoError) && !(err instanceof KolmoCliError)) msg = `${err.name}: ${msg}`;
    process.stderr.write(`kolmo: ${subject}: ${msg}\n`);
    if (a?.verbose && err.stack) process.stderr.write(err.stack + '\n');
    return 1;
  }
}
