import fs from 'node:fs';
import type { ByteSource } from '../byte-source.js';

/** A ByteSource over an open file of `size` bytes: each read is an fs.readSync at its offset. */
export function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let n = 0;
      while (n < buf.length) {
        const got = fs.readSync(fd, buf, n, buf.length - n, offset + n);
        if (got === 0) break; // the file shrank: the parser reports truncation
        n += got;
      }
      return buf.subarray(0, n);
    },
  };
}
