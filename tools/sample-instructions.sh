#!/bin/sh
# Sampling against decompression in executed instructions (valgrind's callgrind), which this
# VM's timings are too noisy to settle (tools/sample-speed.mjs). Each mode runs for 5,000 and
# 20,000 bytes; the difference divided by 15,000 is the cost per byte without the fixed start
# (module compile, model load). node runs with --no-liftoff: every WebAssembly function is
# compiled by TurboFan before it runs. With V8's default tiering, when the optimised code
# replaces the baseline code varies from run to run under valgrind, and the difference of
# two runs carried it (format 8's decompression measured 294,421 and 521,241 per byte in two
# runs; 180,595 with --no-liftoff). Takes ~3 minutes.
#   sh tools/sample-instructions.sh
set -eu
cd "$(dirname "$0")/.."
refs() { # mode n -> instructions
  valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=/dev/null \
    node --no-liftoff tools/sample-one.mjs "$1" "$2" 2>&1 | sed -n 's/.*I *refs: *//p' | tr -d ,
}
for n in 5000 20000; do node tools/sample-one.mjs make $n; done
s1=$(refs sample 5000); s2=$(refs sample 20000)
d1=$(refs decompress 5000); d2=$(refs decompress 20000)
node -e "
const s = ($s2 - $s1) / 15000, d = ($d2 - $d1) / 15000;
console.log('level 3, prompt \"The \", T 0.8, seed 1: instructions per byte: sample ' + s.toFixed(0) + ', decompress ' + d.toFixed(0) + ' (sample / decompress ' + (s / d).toFixed(3) + ')');"
