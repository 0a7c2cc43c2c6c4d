// The shipped language model: the one place that names it. Every script (embedding,
// priors, probes, benches) takes the model from here; change it when a new model lands.
import path from 'node:path';

export const MODEL_NAME = 'kolmo-lm-v5';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** Absolute path of the model file (models/<name>.bin); KOLMO_LM overrides it in the probes. */
export const MODEL_FILE = path.join(root, 'models', `${MODEL_NAME}.bin`);
