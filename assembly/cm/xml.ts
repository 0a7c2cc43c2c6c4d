// XML and HTML elements: the name of the innermost open element, so that markup is predicted
// by where it is (inside <name>, inside <provider>...), as code is by its brackets (the
// nesting context, contexts.ts).
//
// A tag is '<', an optional '/', a name of letters, digits and ':' '-' '_' '.', anything, '>'.
// A start tag pushes its name, unless it ends in "/>"; an end tag pops the innermost. Names are
// remembered up to MAX_DEPTH levels. Text that only looks like tags (`a < b` in code, C's
// `#include <x.h>`) would push names that never close, so the element is reported only after
// an end tag has closed the element it names: real markup does that at once, code hardly ever.

const MAX_DEPTH: u32 = 64; // deeper elements are counted but not remembered
const stack = memory.data(MAX_DEPTH * 4, 4); // u32[MAX_DEPTH]: the open elements' name hashes
let depth: u32 = 0; // open elements
let element: u32 = 0; // the innermost open element's name hash (0: none or not remembered)
let inTag = false; // between '<' and '>'
let naming = false; // reading the tag's name
let closing = false; // the tag is an end tag ("</")
let name: u32 = 0; // hash of the tag's name so far (0: none yet)
let matched = false; // an end tag has closed the element it names
let lastByte: u32 = 0;

/** Forgets every element (a new frame). */
export function xmlReset(): void {
  depth = 0;
  element = 0;
  inTag = false;
  naming = false;
  closing = false;
  name = 0;
  matched = false;
  lastByte = 0;
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
        if (depth > 0) {
          if (depth <= MAX_DEPTH && load<u32>(stack + (<usize>(depth - 1) << 2)) == name) matched = true;
          depth--;
        }
      } else if (lastByte != 47) { // not "/>"
        if (depth < MAX_DEPTH) store<u32>(stack + (<usize>depth << 2), name);
        depth++;
      }
      element = depth > 0 && depth <= MAX_DEPTH ? load<u32>(stack + (<usize>(depth - 1) << 2)) : 0;
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
  return element ^ (inTag ? 0x5bd1e995 : 0);
}
