import assert from "node:assert/strict";
import fs from "node:fs";
import { bumpProblem, sdkSurface, SURFACE_FILE, surfaceVersion } from "../../../scripts/sdk-surface.js";
import { PETROFLOW_SDK_VERSION, sdkSatisfies } from "../../../sdk/version.js";

describe("node SDK: public surface (docs/sdk.md, Stability)", function () {
  // The TypeScript compiler reads the SDK and everything it reaches.
  this.timeout(180_000);

  it("matches sdk/api-surface.txt, so no change to what integrators compile against goes unnoticed", () => {
    const committed = fs.readFileSync(SURFACE_FILE, "utf8");
    const current = sdkSurface();
    if (current !== committed) {
      const currentLines = new Set(current.split("\n"));
      const committedLines = new Set(committed.split("\n"));
      const removed = [...committedLines].filter((line) => !currentLines.has(line)).slice(0, 10);
      const added = [...currentLines].filter((line) => !committedLines.has(line)).slice(0, 10);
      assert.fail(
        `the SDK surface changed.\n  gone: ${JSON.stringify(removed)}\n  new: ${JSON.stringify(added)}\n` +
          "If this is deliberate: bump PETROFLOW_SDK_VERSION (minor: only additions; major: anything else) and run\n" +
          "  node --import tsx scripts/sdk-surface.ts --write",
      );
    }
    assert.equal(surfaceVersion(committed), PETROFLOW_SDK_VERSION, "the committed surface is the current version's");
  });

  it("asks for a minor bump when members are added and a major one when any is removed or changed", () => {
    const v1 = "# SDK version: 1.0.0\n## Types\ninterface A {\n  a: string;\n}";
    assert.equal(bumpProblem(v1, v1), undefined);
    const added = "interface A {\n  a: string;\n  b?: number;\n}";
    assert.match(bumpProblem(v1, `# SDK version: 1.0.0\n## Types\n${added}`) ?? "", /bump the minor/);
    assert.equal(bumpProblem(v1, `# SDK version: 1.1.0\n## Types\n${added}`), undefined);
    const changed = "interface A {\n  a: number;\n}";
    assert.match(bumpProblem(v1, `# SDK version: 1.1.0\n## Types\n${changed}`) ?? "", /new major/);
    assert.equal(bumpProblem(v1, `# SDK version: 2.0.0\n## Types\n${changed}`), undefined);
  });

  it("runs a node built for 1.x on 1.y (y ≥ x) and nowhere else", () => {
    assert.equal(sdkSatisfies("1.2.0", "1.0.0"), true);
    assert.equal(sdkSatisfies("1.2.0", "1.2.0"), true);
    assert.equal(sdkSatisfies("1.2.0", "1.3.0"), false);
    assert.equal(sdkSatisfies("2.0.0", "1.0.0"), false);
    assert.equal(sdkSatisfies("1.0", "1.0.0"), false);
  });
});
