#!/bin/sh
# Dev helper: the Canterbury + Calgary text files the ratio targets are quoted on.
E=${1:-../shared/corpus/eval}
for f in canterbury/alice29.txt canterbury/asyoulik.txt canterbury/cp.html canterbury/fields.c canterbury/grammar.lsp canterbury/lcet10.txt canterbury/plrabn12.txt canterbury/xargs.1 calgary/bib calgary/book1 calgary/book2 calgary/news calgary/paper1 calgary/paper2 calgary/progc calgary/progl calgary/progp calgary/trans; do echo $E/$f; done
