// The shipped models: the one place that names them. Every script (embedding, priors, probes,
// benches) takes them from here; change the names when a new model lands.
import fs from 'node:fs';
import path from 'node:path';

export const MODEL_NAME = 'kolmo-lm-v5';
/** The corpus n-gram model (train/ngram.py) that levels 2 and 3 mix (level 3 beside the LM). */
export const NGRAM_NAME = 'kolmo-ngram-v2';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** Absolute path of the model file (models/<name>.bin); KOLMO_LM overrides it in the probes. */
export const MODEL_FILE = path.join(root, 'models', `${MODEL_NAME}.bin`);
export const NGRAM_FILE = path.join(root, 'models', `${NGRAM_NAME}.bin`);

/**
 * The model bundle of levels 2 and 3 as the package embeds it (assembly/model.ts): u32 LM length, the LM
 * file, the n-gram file. KOLMO_LM / KOLMO_NGRAM override the two files; null when either is missing.
 */
export function modelBundle(lmFile = process.env.KOLMO_LM || MODEL_FILE, ngramFile = process.env.KOLMO_NGRAM || NGRAM_FILE) {
  if (!fs.existsSync(lmFile) || !fs.existsSync(ngramFile)) return null;
  const lm = fs.readFileSync(lmFile);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(lm.length);
  return Buffer.concat([head, lm, fs.readFileSync(ngramFile)]);
}
