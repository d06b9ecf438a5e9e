// Compiles the server TypeScript and copies the non-TS assets that must sit
// beside the compiled JS: Node-RED node .html and locales/, SQL migrations.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "dist");
const assetDirs = ["runtime", "nodes", "erp-modules", "simulator"];
const isAsset = (name) => /\.(html|sql|json)$/.test(name);

// No clean step: several builds may run at once (tests, benches) and a
// deleted dist/ under a running process breaks it; tsc overwrites in place.
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.json")], {
  stdio: "inherit",
});

// The node SDK's declarations (package.json "exports" ./sdk): what node
// packages compile against (docs/sdk.md).
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.sdk.json")], {
  stdio: "inherit",
});

function copyAssets(dir) {
  for (const entry of readdirSync(dir)) {
    const source = join(dir, entry);
    if (statSync(source).isDirectory()) {
      if (entry === "locales") {
        cpSync(source, join(out, relative(root, source)), { recursive: true });
      } else {
        copyAssets(source);
      }
    } else if (isAsset(entry)) {
      cpSync(source, join(out, relative(root, source)));
    }
  }
}
for (const dir of assetDirs) {
  if (existsSync(join(root, dir))) copyAssets(join(root, dir));
}
