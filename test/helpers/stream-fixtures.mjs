// The inputs of the committed streams in test/fixtures/streams/ (scripts/fixtures.mjs writes them,
// test/fixtures.test.ts decodes them). Each fixture's content is named here and pinned by its
// sha256 in test/fixtures/streams/fixtures.json; from the 1.0 freeze on, neither changes.
import { jsonDocument, lcgBytes, PARAGRAPH } from './vectors.mjs';

const enc = new TextEncoder();

/** name -> { bytes, frameSize? } (frameSize: a multi-frame stream of that frame size). */
export function fixtureInputs() {
  return {
    empty: { bytes: new Uint8Array(0) },
    'one-frame': { bytes: enc.encode(PARAGRAPH.repeat(4)) },
    'frames-512': { bytes: enc.encode(jsonDocument()), frameSize: 512 },
    'stored-raw': { bytes: lcgBytes(2026, 300) },
  };
}

export const FIXTURE_DIR = new URL('../fixtures/streams/', import.meta.url);

/** The file of a fixture. */
export function fixtureFile(name, level) {
  return `l${level}-${name}.kz`;
}
