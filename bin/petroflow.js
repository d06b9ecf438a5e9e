#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run by npm install).
require("../dist/runtime/cli.js").runCli(process.argv);
