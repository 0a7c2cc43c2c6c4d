// Errors the command reports by subject (a file name, stdout), and the words it prints for
// system error codes and for the library's option names.

export function cannotWrite(file: string, code: string | undefined): KolmoCliError {
  return new KolmoCliError(file, `cannot write: ${code === 'ENOENT' ? 'no such directory' : systemErrorText(code)}`);
}

/** A system error code as words ("permission denied"), as other command-line tools print it. */
export function systemErrorText(code: string | undefined): string {
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
    EEXIST: 'already exists',
    EMFILE: 'too many open files',
    EFBIG: 'file too large',
    EIO: 'input/output error',
  };
  return (code && words[code]) ?? String(code).toLowerCase();
}

/** The command-line flag for an option name in an API error message (topP → --top-p). */
export function cliNames(message: string): string {
  const flags: Record<string, string> = {
    level: '-l', threads: '--threads', frameSize: '--frame-size', maxBytes: '--max-bytes', temperature: '--temperature',
    topK: '--top-k', topP: '--top-p', minP: '--min-p', seed: '--seed', 'prompt + maxBytes': 'the prompt + --max-bytes', range: '--range',
  };
  return message.replace(/^(prompt \+ maxBytes|level|threads|frameSize|maxBytes|temperature|topK|topP|minP|seed|range)\b/, (m) => flags[m]);
}

export class KolmoCliError extends Error {
  constructor(readonly subject: string, message: string) {
    super(message);
  }
}
