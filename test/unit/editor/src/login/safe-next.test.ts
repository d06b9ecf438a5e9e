import assert from "node:assert/strict";
import { safeNextPath } from "../../../../../editor/src/login/safe-next";

const ORIGIN = "http://pf.local";

describe("web app: login redirect target", () => {
  it("keeps same-origin relative paths", () => {
    assert.equal(safeNextPath("/flows/history?x=1#a", ORIGIN), "/flows/history?x=1#a");
    assert.equal(safeNextPath("/%2F%2Fevil.com", ORIGIN), "/%2F%2Fevil.com");
  });

  for (const hostile of [null, "", "flows", "//evil.com", "/\\evil.com", "/\t/evil.com", "https://evil.com", "javascript:alert(1)", "/login?next=/x", "/login.html"]) {
    it(`sends ${JSON.stringify(hostile)} home instead`, () => {
      assert.equal(safeNextPath(hostile, ORIGIN), "/");
    });
  }
});
