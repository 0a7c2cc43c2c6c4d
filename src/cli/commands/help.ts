import { bundleIdHex, levelIdsHex, modelName } from '../../index.js';
import { USAGE } from '../args.js';

/** `kolmo --help`: the usage, then the model bundle and each level's model id. */
export function printHelp(): void {
  process.stdout.write(USAGE + `\nmodel bundle: ${modelName ?? 'none'}${bundleIdHex ? ` (${bundleIdHex})` : ''}; model ids by level: ${Object.entries(levelIdsHex).map(([l, id]) => `${l} ${id}`).join(', ')}\n`);
}
