import { createCompressStream, createDecompressStream } from './stream.js';
import type { CompressStreamOptions, DecompressOptions } from './options.js';

// Node stream.Duplex (Transform-like) versions of the WHATWG streams, for fs pipelines:
//   pipeline(fs.createReadStream(a), createCompressNodeStream(), fs.createWriteStream(b))
// node:stream is fetched with process.getBuiltinModule, so browser bundles never see it.

function nodeStream(): any {
  const s = (globalThis as any).process?.getBuiltinModule?.('node:stream');
  if (!s) throw new Error('Node streams need Node.js >= 20.16; in browsers use createCompressStream()');
  return s;
}

/** A Node Duplex stream that compresses what is written to it. */
export function createCompressNodeStream(opts: CompressStreamOptions = {}): import('node:stream').Duplex {
  return nodeStream().Duplex.fromWeb(createCompressStream(opts));
}

/** A Node Duplex stream that decompresses what is written to it. */
export function createDecompressNodeStream(opts: DecompressOptions = {}): import('node:stream').Duplex {
  return nodeStream().Duplex.fromWeb(createDecompressStream(opts));
}
