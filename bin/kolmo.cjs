#!/usr/bin/env node
'use strict';
// The `kolmo` command: see src/cli.ts (built to dist/cli.cjs).
require('../dist/cli.cjs')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
