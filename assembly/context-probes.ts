import { frameCapacity, inputPtr } from "./codec";
import { xmlReset, xmlByte, xmlContext } from "./cm/xml";
import { classes, runs, runLength, classesReset, classesByte, byteClass } from "./cm/byte-classes";

// Development probes of the context state trackers (test/contexts.test.ts), on the codec's
// input buffer. Only in the development module (assembly/dev.ts).

/** The XML context (cm/xml.ts) after the first n bytes of the input buffer (0 if n is over its size). */
export function xmlContextAfter(n: u32): u32 {
  if (n > frameCapacity()) return 0;
  xmlReset();
  for (let i: u32 = 0; i < n; i++) xmlByte(<u32>load<u8>(inputPtr() + i));
  return xmlContext();
}

/** The class of byte c (cm/byte-classes.ts). */
export function byteClassOf(c: u32): u32 {
  return byteClass(c);
}

/**
 * After the first n bytes of the input buffer: which = 0 the classes of the last eight bytes,
 * 1 the classes of the last eight runs, 2 the current run's length (0 if n is over its size).
 */
export function classesAfter(n: u32, which: i32): u32 {
  if (n > frameCapacity()) return 0;
  classesReset();
  for (let i: u32 = 0; i < n; i++) classesByte(<u32>load<u8>(inputPtr() + i));
  return which == 0 ? classes : which == 1 ? runs : runLength;
}
