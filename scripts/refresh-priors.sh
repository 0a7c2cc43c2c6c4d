#!/bin/sh
# After a change to the context models or the language model: rebuild the learned
# priors (models/kolmo-prior-l<level>.bin) and the golden vectors. Both change the
# compressed bytes, so a released format needs FORMAT_VERSION bumped in src/format.ts.
#   sh scripts/refresh-priors.sh [CORPUS_DIR]     (default /tmp/corpus-raw, from ../shared/corpus/unpack.sh)
set -eu
corpus=${1:-/tmp/corpus-raw}
npm run build:wasm
node scripts/make-prior.mjs --level 1 --corpus "$corpus" --chunks 400
model=$(node --input-type=module -e "import { MODEL_FILE } from './scripts/model.mjs'; console.log(MODEL_FILE)")
if [ -f "$model" ]; then
  node scripts/make-prior.mjs --level 2 --corpus "$corpus" --chunks 600
  node scripts/make-prior.mjs --level 3 --corpus "$corpus" --chunks 600
fi
npm run build
node scripts/golden.mjs --update
# New priors are new model ids. Until the 1.0 freeze the committed streams follow them; from 1.0
# on, remove this line and publish the old ids' decoder packs instead (CONTRIBUTING.md, "Old streams").
node scripts/fixtures.mjs --update
