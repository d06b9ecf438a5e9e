import assert from "node:assert/strict";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, sessionsByRole, skipUnlessAvailable, type Backend } from "../../support.js";

interface Result {
  status: string;
  method: string;
  wells: { wellId: string; injectionSm3PerDay: number }[];
  marginalValue: { method: string; per1000Sm3PerDay: number } | null;
  solver: string;
}

const curve = (scale: number) =>
  Array.from({ length: 11 }, (_, index) => {
    const g = index * 5000;
    return { injectionSm3PerDay: g, oilM3PerDay: 20 + scale * Math.log1p(g / 8000), waterM3PerDay: 5 };
  });

const body = () => ({
  availableGasSm3PerDay: 40000,
  wells: [
    { wellId: "WELL-201", curve: curve(40), currentInjectionSm3PerDay: 20000 },
    { wellId: "WELL-202", curve: curve(20), currentInjectionSm3PerDay: 20000 },
  ],
});

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`POST /api/v1/optimization/gas-lift (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let viewer: SiteClient;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      ({ viewer } = await sessionsByRole(site.url, { viewer: "vic-viewer" }));
    });

    after(async () => {
      await site?.dispose();
    });

    it("answers a viewer with the allocation, stateless", async () => {
      const result = await viewer.json<Result>("POST", "/api/v1/optimization/gas-lift", body());
      assert.equal(result.status, "optimal");
      assert.equal(result.method, "lp");
      assert.match(result.solver, /^HiGHS /);
      // The steeper curve gets more of the 40 000 Sm3/d.
      const [first, second] = result.wells;
      assert.ok(first && second && first.injectionSm3PerDay > second.injectionSm3PerDay);
      assert.ok(Math.abs(first.injectionSm3PerDay + second.injectionSm3PerDay - 40000) < 1e-6);
      assert.equal(result.marginalValue?.method, "lp_dual");
    });

    it("refuses a bad request with 400 naming the field", async () => {
      const cases: [unknown, string, string][] = [
        [{ ...body(), availableGasSm3PerDay: -1 }, "body.availableGasSm3PerDay", "below_minimum"],
        [
          { ...body(), wells: [{ wellId: "A", currentInjectionSm3PerDay: 0, curve: [curve(10)[0], curve(10)[2], curve(10)[1]] }] },
          "body.wells.0.curve.2.injectionSm3PerDay",
          "not_above",
        ],
        [
          { ...body(), wells: [{ wellId: "A", currentInjectionSm3PerDay: 0, curve: curve(10), minInjectionSm3PerDay: 30000, maxInjectionSm3PerDay: 20000 }] },
          "body.wells.0.minInjectionSm3PerDay",
          "above_field",
        ],
        [{ ...body(), objective: "net_value" }, "body.prices", "required"],
        [{ ...body(), extra: 1 }, "body.extra", "not_allowed"],
      ];
      for (const [request, field, reason] of cases) {
        const response = await viewer.request("POST", "/api/v1/optimization/gas-lift", request);
        assert.equal(response.status, 400, field);
        const error = await errorOf(response);
        assert.equal(error.details?.field, field);
        assert.equal(error.details?.reason, reason, field);
      }
    });

    it("needs a login", async () => {
      const response = await fetch(`${site?.url ?? ""}/api/v1/optimization/gas-lift`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body()) });
      assert.equal(response.status, 401);
    });
  });
}
