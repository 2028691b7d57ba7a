#!/usr/bin/env node
// The `hotpath` command: the bundled CLI (built by `npm run build`, which `npm ci` runs).
require('../dist/cli.js').cli(process.argv.slice(2));
