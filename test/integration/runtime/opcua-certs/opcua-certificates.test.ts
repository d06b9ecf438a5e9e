import assert from "node:assert/strict";
import { SiteClient } from "../../../helpers/http-client.js";
import { ADMIN_PASSWORD, startDemoSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";

interface Certificate {
  thumbprint: string;
  status: "trusted" | "rejected";
  subject: string;
}

/**
 * The OPC UA certificate store over HTTP, on a demo site (whose simulator's
 * certificate the demo trusts explicitly). The store is file-based, so one
 * database backend is enough.
 */
describe("OPC UA certificate store over HTTP", function () {
  this.timeout(120_000);
  let site: SiteProcess | undefined;
  let admin: SiteClient;
  let engineer: SiteClient;

  before(async () => {
    site = await startDemoSiteProcess();
    admin = new SiteClient(site.url);
    await admin.login("admin", ADMIN_PASSWORD);
    await admin.json("POST", "/api/v1/users", { username: "eng-certs", role: "engineer", password: "engineer-password" }, 201);
    engineer = new SiteClient(site.url);
    await engineer.login("eng-certs", "engineer-password");
  });

  after(async () => {
    await site?.dispose();
  });

  it("lists the demo simulator's certificate as trusted (engineers may look)", async () => {
    const { certificates } = await engineer.json<{ certificates: Certificate[] }>("GET", "/api/v1/opcua/certificates");
    assert.equal(certificates.length, 1);
    assert.equal(certificates[0]?.status, "trusted");
    assert.match(certificates[0]?.thumbprint ?? "", /^[0-9a-f]{40}$/);
  });

  it("lets only an admin reject, trust and remove, each audited", async () => {
    const { certificates } = await admin.json<{ certificates: Certificate[] }>("GET", "/api/v1/opcua/certificates");
    const thumbprint = certificates[0]?.thumbprint ?? "";
    assert.equal((await engineer.request("POST", `/api/v1/opcua/certificates/${thumbprint}/reject`)).status, 403);
    const rejected = await admin.json<{ certificate: Certificate }>("POST", `/api/v1/opcua/certificates/${thumbprint.slice(0, 12)}/reject`);
    assert.equal(rejected.certificate.status, "rejected");
    const trusted = await admin.json<{ certificate: Certificate }>("POST", `/api/v1/opcua/certificates/${thumbprint}/trust`);
    assert.equal(trusted.certificate.status, "trusted");
    assert.equal((await admin.request("DELETE", `/api/v1/opcua/certificates/${thumbprint}`)).status, 204);
    const after = await admin.json<{ certificates: Certificate[] }>("GET", "/api/v1/opcua/certificates");
    assert.deepEqual(after.certificates, []);
    const audit = await admin.json<{ entries: { action: string }[] }>("GET", "/api/v1/audit?limit=1000");
    const actions = audit.entries.map((entry) => entry.action);
    for (const action of ["opcua_certificate.reject", "opcua_certificate.trust", "opcua_certificate.remove"]) assert.ok(actions.includes(action), action);
  });

  it("answers 404 for an unknown thumbprint and 400 for a malformed one", async () => {
    assert.equal((await admin.request("POST", "/api/v1/opcua/certificates/0123456789abcdef/trust")).status, 404);
    assert.equal((await admin.request("POST", "/api/v1/opcua/certificates/not-hex/trust")).status, 400);
  });
});
