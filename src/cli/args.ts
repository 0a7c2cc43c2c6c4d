import { BEST_LEVEL, DEFAULT_LEVEL, LEVEL_NAMES } from '../index.js';

// The `kolmo` command line's words: the usage text, and argv parsed into Args (gzip's form or a
// command word, bundled one-letter flags, every usage error as a UsageError).

export const USAGE = `usage:
  kolmo [-d | -t] [-l LEVEL] [-c | -o OUT] [-f] [-k] [FILE...]    (as gzip, xz and zstd: tar -I kolmo)
  kolmo compress   [-l LEVEL] [--threads N] [--frame-size BYTES] [-o OUT | -c] [-f] [FILE...]
  kolmo decompress [--threads N] [--range START:END] [-o OUT | -c] [-f] [-t] [FILE...]
  kolmo info FILE
  kolmo bench [-l LEVEL] [--threads N] [--svg OUTDIR] [DIR]
  kolmo sample [--prompt TEXT | --prompt-file F] [--max-bytes N] [--temperature T] [--top-k K] [--top-p P] [--min-p M] [--seed S] [-l LEVEL]
  kolmo measure [-l LEVEL] [--html OUT.html] [-f] FILE
options:
  -l, --level N     1 = ${LEVEL_NAMES[1]}
                    2 = ${LEVEL_NAMES[2]}
                    3 = ${LEVEL_NAMES[3]}
                    (compress: default ${DEFAULT_LEVEL}; sample and measure: default ${BEST_LEVEL})
  -o, --output OUT  write to OUT            -c, --stdout   write to standard output
  -f, --force       overwrite OUT           --threads N    worker threads (default: all cores)
  -d, --decompress  decompress              -t, --test     decompress and check, write nothing
  -k, --keep        keep FILE (kolmo never deletes its input; accepted for gzip's sake)
  --frame-size B    frames of at most B bytes, coded independently, one per thread (default:
                    1 MiB at level 1; 16 MiB at levels 2 and 3, where each cut costs ratio)
  -v, --verbose     show stack traces       -h, --help
  --range START:END decompress only bytes START..END-1 of the content (START or END may be
                    left out: from the start, to the end); writes standard output unless -o
  --svg OUTDIR      bench: also write two charts there, bench-speed.svg (bits per byte
                    against speed) and bench-kinds.svg (bits per byte by file kind)
Without a command, kolmo compresses (with -d decompresses) like gzip: FILE to FILE.kz, or
standard input to standard output. A FILE named like a command needs a path: ./info.
compress / decompress without FILE (or with -) read standard input and write standard output.
compress writes FILE.kz and keeps FILE; decompress strips .kz. A FILE of several .kz streams
concatenated (cat a.kz b.kz) decompresses to their contents, concatenated.`;

export class UsageError extends Error {}

/** The command words; any other first argument is a FILE (gzip's form). */
const COMMANDS = ['compress', 'c', 'decompress', 'd', 'info', 'bench', 'sample', 'measure'];

export interface Args {
  command: string;
  /** The current input (null: standard input); files lists every FILE argument. */
  file: string | null;
  files: (string | null)[];
  decompress: boolean;
  test: boolean;
  output: string | null;
  stdout: boolean;
  force: boolean;
  level?: number;
  threads?: number;
  frameSize?: number;
  verbose: boolean;
  prompt?: string;
  promptFile?: string;
  maxBytes?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  seed?: bigint;
  html?: string;
  svg?: string;
  range?: { start: number; end?: number };
}

/** Flags of one letter that take no value may be bundled, as gzip allows: -dc = -d -c. */
function unbundle(argv: string[]): string[] {
  return argv.flatMap((x) => (/^-[cdfhktvz]{2,}$/.test(x) ? [...x.slice(1)].map((f) => `-${f}`) : [x]));
}

export function parseArgs(rawArgv: string[]): Args {
  const argv = unbundle(rawArgv);
  const a: Args = { command: '', file: null, files: [], decompress: false, test: false, output: null, stdout: false, force: false, verbose: false };
  const positional: string[] = [];
  const num = (name: string, v: string | undefined): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`${name} needs a number`);
    return Number(v);
  };
  const real = (name: string, v: string | undefined): number => {
    if (v === undefined || !/^(\d+\.?\d*|\.\d+)$/.test(v)) throw new UsageError(`${name} needs a number`);
    return Number(v);
  };
  const seed = (name: string, v: string | undefined): bigint => {
    if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`${name} needs a whole number`);
    const s = BigInt(v); // not through Number: seeds above 2^53 keep every digit
    if (s >= 1n << 64n) throw new UsageError(`${name} must be below 2^64`);
    return s;
  };
  const range = (name: string, v: string | undefined): { start: number; end?: number } => {
    const m = v === undefined ? null : /^(\d*):(\d*)$/.exec(v);
    if (!m) throw new UsageError(`${name} needs START:END (byte offsets of the decompressed content)`);
    const start = m[1] ? Number(m[1]) : 0;
    const end = m[2] ? Number(m[2]) : undefined;
    if (!Number.isSafeInteger(start) || (end !== undefined && !Number.isSafeInteger(end))) throw new UsageError(`${name}: offsets must be below 2^53`);
    return { start, end };
  };
  const need = (name: string, v: string | undefined): string => {
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    switch (x) {
      case '-l': case '--level': a.level = num(x, argv[++i]); break;
      case '--threads': a.threads = num(x, argv[++i]); break;
      case '--frame-size': a.frameSize = num(x, argv[++i]); break;
      case '-o': case '--output':
        a.output = argv[++i] ?? null;
        if (a.output === null) throw new UsageError(`${x} needs a file name`);
        break;
      case '-c': case '--stdout': a.stdout = true; break;
      case '-d': case '--decompress': case '--uncompress': a.decompress = true; break;
      case '-t': case '--test': a.test = true; break;
      case '-k': case '--keep': case '-z': case '--compress': break; // the defaults already
      case '-f': case '--force': a.force = true; break;
      case '-v': case '--verbose': a.verbose = true; break;
      case '-h': case '--help': a.command = 'help'; break;
      case '--prompt': a.prompt = need(x, argv[++i]); break;
      case '--prompt-file': a.promptFile = need(x, argv[++i]); break;
      case '--max-bytes': a.maxBytes = num(x, argv[++i]); break;
      case '--temperature': a.temperature = real(x, argv[++i]); break;
      case '--top-k': a.topK = num(x, argv[++i]); break;
      case '--top-p': a.topP = real(x, argv[++i]); break;
      case '--min-p': a.minP = real(x, argv[++i]); break;
      case '--seed': a.seed = seed(x, argv[++i]); break;
      case '--html': a.html = need(x, argv[++i]); break;
      case '--svg': a.svg = need(x, argv[++i]); break;
      case '--range': a.range = range(x, argv[++i]); break;
      default:
        if (/^-l\d+$/.test(x)) a.level = Number(x.slice(2));
        else if (x.startsWith('-') && x !== '-') throw new UsageError(`unknown option ${x}`);
        else positional.push(x);
    }
  }
  if (a.command !== 'help') {
    // A command word, or gzip's form: no command, FILE arguments, -d for decompression.
    if (COMMANDS.includes(positional[0] ?? '')) a.command = positional.shift()!;
    else a.command = a.decompress || a.test ? 'decompress' : 'compress';
    if (a.command === 'c') a.command = 'compress';
    if (a.command === 'd') a.command = 'decompress';
    if (a.decompress && a.command !== 'decompress') throw new UsageError(`-d is not an option of ${a.command}`);
    if (a.test && a.command !== 'decompress') throw new UsageError(`-t is not an option of ${a.command}`);
  }
  const coding = a.command === 'compress' || a.command === 'decompress';
  if (!coding && positional.length > 1) throw new UsageError(`unexpected argument ${positional[1]}`);
  a.files = positional.map((f) => (f === '-' ? null : f));
  a.file = a.files[0] ?? null;
  if (a.output === '-') { // -o - is standard output, as for the input
    a.output = null;
    a.stdout = true;
  }
  if (a.output && a.stdout) throw new UsageError('-o and -c cannot be used together');
  if (a.output && a.files.length > 1) throw new UsageError('-o names one output: give one FILE, or use -c');
  if (a.test && (a.output || a.range)) throw new UsageError('-t writes nothing: no -o or --range');
  if (a.range && a.command !== 'decompress') throw new UsageError('--range is an option of decompress');
  if (a.svg !== undefined && a.command !== 'bench') throw new UsageError('--svg is an option of bench');
  if (a.range && a.files.length > 1) throw new UsageError('--range takes one FILE');
  return a;
}
