// XML and HTML elements: the name of the innermost open element, so that markup is predicted
// by where it is (inside <name>, inside <provider>...), as code is by its brackets (the
// nesting context, contexts.ts).
//
// A tag is '<', an optional '/', a name of letters, digits and ':' '-' '_' '.', anything, '>'.
// A start tag opens an element, unless it ends in "/>". An end tag closes the innermost open
// element of its name, with the elements opened inside it and never closed (HTML's <P>, <BR>),
// if it is among the SEARCH_DEPTH innermost; else it is ignored. Only the RING innermost open
// elements are remembered, so that unclosed ones never fill the memory.
// Text that only looks like tags (`a < b` in code, C's `#include <x.h>`) would open elements
// that never close, so the element is reported only after an end tag has closed the element
// it names: real markup does that at once, code hardly ever.

const RING: u32 = 64; // open elements remembered, the innermost (a power of two)
const SEARCH_DEPTH: u32 = 8; // how many open elements an end tag looks through for its own
const ring = memory.data(RING * 4, 4); // u32[RING]: name hashes; element d (0: outermost) at d % RING
let depth: u32 = 0; // open elements (those past the RING innermost count but are forgotten)
let inTag = false; // between '<' and '>'
let naming = false; // reading the tag's name
let closing = false; // the tag is an end tag ("</")
let name: u32 = 0; // hash of the tag's name so far (0: none yet)
let matched = false; // an end tag has closed the element it names
let lastByte: u32 = 0;

/** Forgets every element (a new frame). */
export function xmlReset(): void {
  depth = 0;
  inTag = false;
  naming = false;
  closing = false;
  name = 0;
  matched = false;
  lastByte = 0;
}

/** The name hash of open element d (0: the outermost). */
// @ts-ignore: decorator
@inline function openElement(d: u32): u32 {
  return load<u32>(ring + (<usize>(d & (RING - 1)) << 2));
}

/** Takes in byte c. */
export function xmlByte(c: u32): void {
  if (c == 60) { // '<'
    inTag = true;
    naming = true;
    closing = false;
    name = 0;
  } else if (inTag) {
    if (naming) {
      const lower = c | 0x20;
      if (c == 47 && name == 0) closing = true;
      else if ((lower >= 97 && lower <= 122) || (c >= 48 && c <= 58) || c == 45 || c == 95 || c == 46) name = (name + c + 1) * 0x2c9277b5;
      else naming = false;
    }
    if (c == 62 && name != 0) { // '>' after a name
      if (closing) {
        const remembered = depth < RING ? depth : RING;
        const searched = remembered < SEARCH_DEPTH ? remembered : SEARCH_DEPTH;
        for (let k: u32 = 1; k <= searched; k++) {
          if (openElement(depth - k) == name) {
            depth -= k;
            matched = true;
            break;
          }
        }
      } else if (lastByte != 47) { // not "/>"
        store<u32>(ring + (<usize>(depth & (RING - 1)) << 2), name);
        depth++;
      }
    }
    if (c == 62) inTag = false;
  }
  lastByte = c;
}

/**
 * The innermost open element's name hash, with a flag for "inside a tag"; 0 until the text
 * has proved to be markup (above) and outside any element.
 */
export function xmlContext(): u32 {
  if (!matched) return 0;
  return (depth > 0 ? openElement(depth - 1) : 0) ^ (inTag ? 0x5bd1e995 : 0);
}
