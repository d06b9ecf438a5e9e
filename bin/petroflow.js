#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run by npm install).
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  // npm scripts put the project's Node 22 (the `node` package) first on PATH;
  // a global `node` may be older.
  process.stderr.write(`petroflow needs Node.js 22 or newer (this is ${process.version}); run it as: npm run petroflow -- <command>\n`);
  process.exit(1);
}
require("../dist/runtime/cli.js").runCli(process.argv);
