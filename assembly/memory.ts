// Linear-memory layout. The module never frees: a worker owns one instance.
//
// [ static data | long-lived allocations (model weights, I/O buffers) | per-frame arena ]
//
// Long-lived allocations use allocPermanent(). Everything a frame needs (context
// tables, match history index, mixer weights) lives in the arena, which is reset
// at the start of every frame, so the same frame always starts from the same state.

const PAGE: usize = 65536;

let permanentTop: usize = 0; // end of long-lived allocations
let arenaTop: usize = 0; // end of the current frame's allocations
let usedTop: usize = 0; // everything at or above this was never handed out: still zero from memory.grow

/** Zeroes [start, end) where it may have been used before (fresh memory is zero already). */
function zero(start: usize, end: usize): void {
  if (start < usedTop) memory.fill(start, 0, (end < usedTop ? end : usedTop) - start);
  if (end > usedTop) usedTop = end;
}

function ensureMemory(end: usize): bool {
  const have = (<usize>memory.size()) * PAGE;
  if (end <= have) return true;
  const pages = <i32>((end - have + PAGE - 1) / PAGE);
  return memory.grow(pages) >= 0;
}

function alignUp(x: usize, align: usize): usize {
  return (x + align - 1) & ~(align - 1);
}

function initTops(): void {
  if (permanentTop == 0) {
    permanentTop = alignUp(__heap_base, 64);
    arenaTop = permanentTop;
  }
}

/**
 * Allocates zeroed long-lived memory; returns 0 when memory cannot grow.
 * It takes the space right after the previous long-lived block, so it drops the
 * current frame's arena: call it only between frames.
 */
export function allocPermanent(bytes: usize, align: usize = 64): usize {
  initTops();
  const start = alignUp(permanentTop, align);
  const end = start + bytes;
  if (!ensureMemory(end)) return 0;
  zero(start, end);
  permanentTop = end;
  arenaTop = end;
  return start;
}

/** Starts a new frame: everything allocated by allocArena before is dropped. */
export function resetArena(): void {
  initTops();
  arenaTop = alignUp(permanentTop, 64);
}

/** Allocates zeroed per-frame memory; returns 0 when memory cannot grow. */
export function allocArena(bytes: usize, align: usize = 64): usize {
  initTops();
  const start = alignUp(arenaTop, align);
  const end = start + bytes;
  if (!ensureMemory(end)) return 0;
  zero(start, end);
  arenaTop = end;
  return start;
}

/**
 * allocArena without zeroing: for a table whose every entry the caller writes before
 * reading it (a lazily initialised APM), where zeroing megabytes per frame is wasted.
 */
export function allocArenaUninitialised(bytes: usize, align: usize = 64): usize {
  initTops();
  const start = alignUp(arenaTop, align);
  const end = start + bytes;
  if (!ensureMemory(end)) return 0;
  if (end > usedTop) usedTop = end; // handed out: a later allocation here must zero it
  arenaTop = end;
  return start;
}

/** Bytes of linear memory in use (for memory reporting). */
export function memoryInUse(): usize {
  return arenaTop;
}
