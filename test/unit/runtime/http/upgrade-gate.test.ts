import assert from "node:assert/strict";
import { upgradeRole } from "../../../../runtime/http/upgrade-gate.js";

describe("websocket upgrade roles by path", () => {
  it("needs the editor role for the editor's comms and a login for the live feed and flows' endpoints", () => {
    assert.equal(upgradeRole("/editor/comms"), "engineer");
    assert.equal(upgradeRole("/api/v1/live"), "viewer");
    assert.equal(upgradeRole("/endpoints/ws/echo"), "viewer");
    assert.equal(upgradeRole("/endpoints/dashboard/socket.io/"), "viewer");
  });

  it("serves nothing elsewhere", () => {
    for (const pathname of ["/", "/editor", "/editor/comms/x", "/endpointsx", "/api/v1/live/x"]) assert.equal(upgradeRole(pathname), null, pathname);
  });
});
