import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { configVersionSetting } from "../../nodes/shared/node-config-versions.js";

const root = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
  "node-red": { nodes: Record<string, string>; plugins?: Record<string, string> };
};

/** The message keys of a node's or plugin's locale file, flattened and sorted. */
function localeKeys(file: string): string[] {
  const flatten = (value: unknown, prefix: string): string[] =>
    value !== null && typeof value === "object"
      ? Object.entries(value).flatMap(([key, child]) => flatten(child, prefix ? `${prefix}.${key}` : key))
      : [prefix];
  return flatten(JSON.parse(fs.readFileSync(file, "utf8")), "").sort();
}

/** Loads a compiled file the way Node-RED loads a node or plugin. */
function requireCompiled(js: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path, on purpose
  return require(js);
}

describe("packaging: every registered node ships complete in dist/", () => {
  const nodes = Object.entries(pkg["node-red"].nodes);

  it("registers at least one node", () => {
    assert.ok(nodes.length > 0);
  });

  for (const [type, jsPath] of nodes) {
    describe(type, () => {
      const js = path.join(root, jsPath);
      const dir = path.dirname(js);
      const base = path.basename(js, ".js");

      it("is compiled into dist/ from a TypeScript source in nodes/", () => {
        assert.ok(jsPath.startsWith("dist/nodes/"), `${jsPath} is not under dist/nodes/`);
        assert.ok(fs.existsSync(js), `${jsPath} is missing: run npm run build`);
        const source = path.join(root, jsPath.replace(/^dist\//, "").replace(/\.js$/, ".ts"));
        assert.ok(fs.existsSync(source), `${source} is missing`);
      });

      it("has its .html beside the .js, registering the same type", () => {
        const html = path.join(dir, `${base}.html`);
        assert.ok(fs.existsSync(html), `${html} is missing`);
        assert.match(fs.readFileSync(html, "utf8"), new RegExp(`registerType\\(["']${type}["']`));
      });

      it("gives new nodes the current config version the runtime exports for the type", () => {
        const html = fs.readFileSync(path.join(dir, `${base}.html`), "utf8");
        assert.match(html, new RegExp(`version: \\{ value: RED\\.settings\\.get\\("${configVersionSetting(type)}", 0\\) \\}`));
      });

      it("has English and Spanish locales with the same keys", () => {
        const keys = (lang: string) => {
          const file = path.join(dir, "locales", lang, `${base}.json`);
          assert.ok(fs.existsSync(file), `${file} is missing`);
          return localeKeys(file);
        };
        assert.deepEqual(keys("es-ES"), keys("en-US"));
        for (const lang of ["en-US", "es-ES"]) {
          assert.ok(fs.existsSync(path.join(dir, "locales", lang, `${base}.html`)), `${lang} help is missing`);
        }
      });

      it("exports a registration function", () => {
        assert.equal(typeof requireCompiled(js), "function");
      });
    });
  }
});

describe("packaging: every registered editor plugin ships complete in dist/", () => {
  for (const [name, jsPath] of Object.entries(pkg["node-red"].plugins ?? {})) {
    it(`${name}: compiled, with its .html and English and Spanish messages with the same keys`, () => {
      const js = path.join(root, jsPath);
      assert.ok(jsPath.startsWith("dist/nodes/") && fs.existsSync(js), `${jsPath} is missing: run npm run build`);
      const dir = path.dirname(js);
      const base = path.basename(js, ".js");
      assert.ok(fs.existsSync(path.join(dir, `${base}.html`)), `${base}.html is missing beside ${jsPath}`);
      const keys = (lang: string) => localeKeys(path.join(dir, "locales", lang, `${base}.json`));
      assert.deepEqual(keys("es-ES"), keys("en-US"));
      assert.equal(typeof requireCompiled(js), "function", "exports a registration function");
    });
  }
});
