import assert from "node:assert/strict";
import { contentSecurityPolicyFor } from "../../../../runtime/http/security-headers.js";

function directive(policy: string, name: string): string[] | undefined {
  const found = policy.split(";").map((part) => part.trim().split(/\s+/)).find(([first]) => first === name);
  return found?.slice(1);
}

describe("Content-Security-Policy by area", () => {
  it("gives the web app, the login page and the API scripts from the site only", () => {
    for (const pathname of ["/", "/login", "/assets/app.js", "/api/v1/users", "/healthz", "/editorial"]) {
      assert.deepEqual(directive(contentSecurityPolicyFor(pathname), "script-src"), ["'self'"], pathname);
    }
  });

  it("lets the Node-RED editor run its inline scripts, and nothing else gets them", () => {
    assert.deepEqual(directive(contentSecurityPolicyFor("/editor/"), "script-src"), ["'self'", "'unsafe-inline'"]);
    assert.deepEqual(directive(contentSecurityPolicyFor("/editor/red/red.min.js"), "script-src"), ["'self'", "'unsafe-inline'"]);
    assert.deepEqual(directive(contentSecurityPolicyFor("/endpoints/dashboard/wells"), "script-src"), ["'self'"]);
  });

  it("allows eval nowhere, framing only by the site, and no plugins, in every area", () => {
    for (const pathname of ["/", "/editor/", "/endpoints/x"]) {
      const policy = contentSecurityPolicyFor(pathname);
      assert.doesNotMatch(policy, /unsafe-eval/, pathname);
      assert.deepEqual(directive(policy, "frame-ancestors"), ["'self'"], pathname);
      assert.deepEqual(directive(policy, "object-src"), ["'none'"], pathname);
    }
  });
});
