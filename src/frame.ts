import { crc32 } from './crc32.js';
import type { Engine } from './engine.js';
import { KolmoChecksumError } from './errors.js';
import { encodeFrameHead, type FrameHead } from './format.js';

// One frame of the container: compress raw bytes into a frame record, and back.

/** Compresses raw into a complete frame record (head + payload, or head + raw when stored). */
export function encodeFrameRecord(engine: Engine, level: number, raw: Uint8Array): Uint8Array {
  const payload = engine.compressFrame(level, raw);
  const body = payload ?? raw;
  const head = encodeFrameHead(raw.length, payload ? payload.length : 0, crc32(raw));
  const record = new Uint8Array(head.length + body.length);
  record.set(head);
  record.set(body, head.length);
  return record;
}

/** Decodes a frame's body (payload or stored bytes) and checks its CRC. */
export function decodeFrameBody(
  engine: Engine,
  level: number,
  head: FrameHead,
  body: Uint8Array,
  index: number,
  offset: number,
): Uint8Array {
  const raw = head.payloadLength === 0 ? body.slice() : engine.decompressFrame(level, body, head.rawLength);
  if (raw === 'short') {
    throw new KolmoChecksumError(
      `frame ${index} at byte ${offset}: the ${head.payloadLength}-byte payload ends before its ${head.rawLength} bytes: the data is damaged`,
    );
  }
  if (raw === 'filter') {
    throw new KolmoChecksumError(`frame ${index} at byte ${offset}: the payload names no known filter: the data is damaged`);
  }
  const crc = crc32(raw);
  if (crc !== head.crc) {
    throw new KolmoChecksumError(
      `frame ${index} at byte ${offset}: CRC-32 mismatch (stored ${hex(head.crc)}, decoded ${hex(crc)}): the data is damaged`,
    );
  }
  return raw;
}

function hex(v: number): string {
  return v.toString(16).padStart(8, '0');
}
