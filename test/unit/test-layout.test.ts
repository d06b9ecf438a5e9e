import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The test tree mirrors the source tree (README, "Tests"), so the tests of a
 * file are found next to where its path says. Checked here because several
 * branches add tests at once and a misplaced one is easy to miss in review.
 */
const root = path.resolve(__dirname, "..", "..");

/** Tests at the top of test/unit/ that test the repository as a whole, not one directory. */
const REPOSITORY_TESTS = new Set(["packaging.test.ts", "test-layout.test.ts"]);

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function isSourceDirectory(repo: string, relative: string): boolean {
  if (relative === "" || /^(test|node_modules|dist)(\/|$)/.test(relative)) return false;
  const full = path.join(repo, relative);
  return fs.existsSync(full) && fs.statSync(full).isDirectory();
}

/** Where each misplaced file under test/<kind>/ is, and why; empty when every file mirrors a source directory. */
function misplaced(kind: "unit" | "integration" | "nodes", repo = root): string[] {
  const base = path.join(repo, "test", kind);
  const problems: string[] = [];
  for (const file of filesUnder(base)) {
    const relativeFile = path.relative(base, file);
    const dir = path.dirname(relativeFile) === "." ? "" : path.dirname(relativeFile);
    const name = path.basename(file);
    const shown = path.join("test", kind, relativeFile);
    if (kind === "nodes") {
      const group = dir.split(path.sep)[0];
      if (!isSourceDirectory(repo, path.join("nodes", group))) problems.push(`${shown}: test/nodes/<group>/ needs a node group nodes/<group>/`);
    } else if (dir === "") {
      const rootSource = name.replace(/\.test\.tsx?$/, ".ts");
      const allowed = kind === "unit" ? REPOSITORY_TESTS.has(name) || fs.existsSync(path.join(repo, rootSource)) : !name.includes(".test.");
      if (!allowed) problems.push(`${shown}: move it to test/${kind}/<source directory>/ of the code it tests`);
    } else if (!isSourceDirectory(repo, dir)) {
      problems.push(`${shown}: there is no source directory ${dir}/; a test of <dir>/<file>.ts belongs in test/${kind}/<dir>/`);
    }
  }
  return problems;
}

describe("the test tree mirrors the source tree", () => {
  for (const kind of ["unit", "integration", "nodes"] as const) {
    it(`test/${kind}/`, () => {
      assert.deepEqual(misplaced(kind), []);
    });
  }

  it("the check itself finds a misplaced test", () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-layout-"));
    try {
      fs.mkdirSync(path.join(repo, "runtime", "tags"), { recursive: true });
      for (const file of ["test/unit/runtime/tags/tag-store.test.ts", "test/unit/tags/tag-store.test.ts", "test/integration/auth.test.ts", "test/integration/support.ts"]) {
        fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
        fs.writeFileSync(path.join(repo, file), "");
      }
      assert.deepEqual(misplaced("unit", repo), [
        "test/unit/tags/tag-store.test.ts: there is no source directory tags/; a test of <dir>/<file>.ts belongs in test/unit/<dir>/",
      ]);
      assert.deepEqual(misplaced("integration", repo), ["test/integration/auth.test.ts: move it to test/integration/<source directory>/ of the code it tests"]);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
