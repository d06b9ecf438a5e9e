import assert from "node:assert/strict";
import type { Database } from "../../../../runtime/db/database.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import { startFaultProxy, type FaultProxy } from "../../../helpers/fault-proxy.js";
import { SiteClient } from "../../../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

interface Asset {
  id: string;
  rowVersion: number;
}

interface SyncStatus {
  state: string;
  pending: number;
}

interface Conflict {
  entityId: string;
  siteId: string;
  reason: string;
  incoming: { name?: string };
  current: { name?: string };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, detail: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${await detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface EdgeSite {
  siteId: string;
  process: SiteProcess;
  proxy: FaultProxy;
  client: SiteClient;
  db: Database;
  battery?: Asset;
}

async function addWells(site: EdgeSite, prefix: string, count: number): Promise<Asset[]> {
  const wells: Asset[] = [];
  for (let index = 0; index < count; index++) {
    wells.push(
      await site.client.json<Asset>(
        "POST",
        "/api/v1/assets",
        { kind: "well", code: `${prefix}-${index}`, name: `Well ${prefix} ${index}`, parentId: site.battery?.id, well: { liftType: "gas_lift", status: "producing" } },
        201,
      ),
    );
  }
  return wells;
}

/**
 * Issue 13 §5 "Two sites and one cloud": real processes, each on its own
 * PostgreSQL database, each site's link to the cloud through a fault
 * proxy. The links are cut while both sites keep writing and the cloud
 * hands a well from one site to the other; restored, every record arrives
 * once, in each site's commit order, and the old owner's edit is a visible
 * conflict.
 */
describe("Two edge sites and one cloud, links cut and restored", function () {
  this.timeout(600_000);
  let cloud: SiteProcess | undefined;
  let cloudDb: Database | undefined;
  const sites: EdgeSite[] = [];
  const cloudAdmin = () => {
    if (!cloud) throw new Error("no cloud");
    const client = new SiteClient(cloud.url);
    return client.login("admin", ADMIN_PASSWORD).then(() => client);
  };

  before(async function () {
    if (!process.env.TEST_DATABASE_URL) skipWithReason(this, "TEST_DATABASE_URL is not set: the sites and the cloud each need a PostgreSQL database");
    cloud = await startSiteProcess({ backend: "postgres", env: { PETROFLOW_ROLE: "cloud", PETROFLOW_SITE_ID: "CLOUD" } });
    const admin = await cloudAdmin();
    const tokens: Record<string, string> = {};
    for (const siteId of ["NORTH", "SOUTH"]) {
      await admin.json("POST", "/api/v1/sync/sites", { siteId, name: `${siteId} field` }, 201);
      tokens[siteId] = (await admin.json<{ token: string }>("POST", `/api/v1/sync/sites/${siteId}/credentials`, {}, 201)).token;
    }
    const cloudPort = Number(new URL(cloud.url).port);
    const started = await Promise.all(
      ["NORTH", "SOUTH"].map(async (siteId) => {
        const proxy = await startFaultProxy("127.0.0.1", cloudPort);
        const child = await startSiteProcess({
          backend: "postgres",
          env: {
            PETROFLOW_SITE_ID: siteId,
            PETROFLOW_SYNC_URL: `http://127.0.0.1:${proxy.port}`,
            PETROFLOW_SYNC_TOKEN: tokens[siteId],
            PETROFLOW_SYNC_BATCH_SIZE: "25",
            PETROFLOW_SYNC_INTERVAL_MS: "200",
            PETROFLOW_SYNC_TIMEOUT_MS: "1000",
            PETROFLOW_SYNC_RETRY_MAX_MS: "1000",
          },
        });
        const client = new SiteClient(child.url);
        await client.login("admin", ADMIN_PASSWORD);
        return { siteId, process: child, proxy, client, databaseUrl: databaseUrlOf(child) };
      }),
    );
    for (const site of started) {
      sites.push({ siteId: site.siteId, process: site.process, proxy: site.proxy, client: site.client, db: await PostgresDatabase.connect(site.databaseUrl) });
    }
    cloudDb = await PostgresDatabase.connect(databaseUrlOf(cloud));
  });

  after(async () => {
    for (const site of sites) {
      await site.db.close();
      await site.process.dispose();
      await site.proxy.close();
    }
    await cloudDb?.close();
    await cloud?.dispose();
  });

  const cloudLast = async (siteId: string) =>
    Number((await (cloudDb as Database).query<{ n: string }>("SELECT last_sequence::text AS n FROM sync_sites WHERE site_id = $1", [siteId])).rows[0]?.n ?? -1);
  const siteLast = async (site: EdgeSite) =>
    Number((await site.db.query<{ n: string }>("SELECT coalesce(max(last_sequence), 0)::text AS n FROM sync_outbox_counter")).rows[0]?.n);
  const drained = async () => {
    for (const site of sites) if ((await cloudLast(site.siteId)) !== (await siteLast(site))) return false;
    return true;
  };
  const progress = async () => (await Promise.all(sites.map(async (site) => `${site.siteId} ${await cloudLast(site.siteId)}/${await siteLast(site)}`))).join(", ");

  it("loses nothing, repeats nothing, keeps each site's order, and surfaces the ownership conflict", async () => {
    const [north, south] = sites;
    for (const site of sites) {
      const field = await site.client.json<Asset>("POST", "/api/v1/assets", { kind: "field", code: `${site.siteId}-F`, name: `${site.siteId} field` }, 201);
      site.battery = await site.client.json<Asset>(
        "POST",
        "/api/v1/assets",
        { kind: "site", code: `${site.siteId}-BAT`, name: `${site.siteId} battery`, parentId: field.id, siteType: "battery" },
        201,
      );
    }
    const [shared] = await addWells(north, "N-SHARED", 1);
    await Promise.all([addWells(north, "N-A", 15), addWells(south, "S-A", 15)]);
    await until("both sites to drain to the cloud", drained, 120_000, progress);

    for (const site of sites) site.proxy.setMode("blackhole");
    const admin = await cloudAdmin();
    await admin.json("POST", "/api/v1/sync/ownership-transfers", { entityType: "asset", entityId: shared.id, toOwner: "SOUTH", reason: "well handed to the south team" }, 201);
    const writesStarted = Date.now();
    await Promise.all([addWells(north, "N-B", 20), addWells(south, "S-B", 20)]);
    // Made during the partition, after the move: NORTH does not know it no longer owns the well.
    await north.client.json("PATCH", `/api/v1/assets/${shared.id}`, { rowVersion: shared.rowVersion, name: "Renamed by north during the partition" });
    const writesMs = Date.now() - writesStarted;
    for (const site of sites) {
      await until(
        `${site.siteId} to report the link down`,
        async () => (await site.client.json<SyncStatus>("GET", "/api/v1/sync/status")).state === "retrying",
        30_000,
        async () => JSON.stringify(await site.client.json<SyncStatus>("GET", "/api/v1/sync/status")),
      );
      // The agent counts what waits at each attempt: the next retry sees every write of the partition.
      await until(
        `${site.siteId} to count what waits`,
        async () => (await site.client.json<SyncStatus>("GET", "/api/v1/sync/status")).pending >= 20,
        30_000,
        async () => JSON.stringify(await site.client.json<SyncStatus>("GET", "/api/v1/sync/status")),
      );
    }
    // 40 wells and an edit while the cloud was unreachable: the writes never waited on a push timeout per request.
    assert.ok(writesMs < 60_000, `writes took ${writesMs} ms with the links cut`);

    for (const site of sites) site.proxy.setMode("pass");
    await until("both sites to drain after the links return", drained, 180_000, progress);

    for (const site of sites) {
      const outbox = await site.db.query<{ id: string; sequence: string }>("SELECT id, sequence::text AS sequence FROM sync_outbox ORDER BY sync_outbox.sequence");
      const received = await (cloudDb as Database).query<{ record_id: string; sequence: string }>(
        "SELECT record_id, sequence::text AS sequence FROM sync_received WHERE site_id = $1 ORDER BY sync_received.sequence",
        [site.siteId],
      );
      assert.ok(outbox.rows.length >= 40, `${site.siteId} wrote ${outbox.rows.length} records`);
      assert.deepEqual(
        received.rows.map((row) => [row.sequence, row.record_id]),
        outbox.rows.map((row) => [row.sequence, row.id]),
        `${site.siteId}: the cloud holds every record once, in the site's sequence`,
      );
      assert.equal(new Set(received.rows.map((row) => row.record_id)).size, received.rows.length, "no duplicates");
      const unsent = await site.db.query<{ n: string }>("SELECT count(*)::text AS n FROM sync_outbox WHERE sent_at IS NULL");
      assert.equal(unsent.rows[0]?.n, "0");
    }

    const conflicts = (await admin.json<{ conflicts: Conflict[] }>("GET", "/api/v1/sync/conflicts?open=true")).conflicts;
    const moved = conflicts.filter((conflict) => conflict.entityId === shared.id);
    assert.equal(moved.length, 1, JSON.stringify(conflicts));
    assert.equal(moved[0].reason, "ownership_moved");
    assert.equal(moved[0].siteId, "NORTH");
    assert.equal(moved[0].incoming.name, "Renamed by north during the partition", "north's version is kept");
    assert.equal(moved[0].current.name, "Well N-SHARED 0", "beside the version the cloud held");
    const entity = await (cloudDb as Database).query<{ owner: string; name: string }>(
      "SELECT owner, payload->>'name' AS name FROM sync_entities WHERE entity_type = 'asset' AND entity_id = $1",
      [shared.id],
    );
    assert.deepEqual(entity.rows[0], { owner: "SOUTH", name: "Well N-SHARED 0" }, "the old owner's edit was not merged");
  });

  it("refuses a revoked site credential, and the site reports it", async () => {
    const [north] = sites;
    const admin = await cloudAdmin();
    const listed = await admin.json<{ sites: { siteId: string; credentials: { id: string; revokedAt: string | null }[] }[] }>("GET", "/api/v1/sync/sites");
    const credential = listed.sites.find((site) => site.siteId === "NORTH")?.credentials.find((entry) => entry.revokedAt === null);
    assert.ok(credential);
    await admin.json("POST", `/api/v1/sync/credentials/${credential.id}/revoke`, undefined, 204);
    await addWells(north, "N-C", 1);
    await until(
      "north to report the refusal",
      async () => (await north.client.json<SyncStatus>("GET", "/api/v1/sync/status")).state === "refused",
      30_000,
      async () => JSON.stringify(await north.client.json<SyncStatus>("GET", "/api/v1/sync/status")),
    );
    assert.ok((await north.client.json<SyncStatus>("GET", "/api/v1/sync/status")).pending >= 1);
  });
});

/** The DATABASE_URL a site process was started with (site-process.ts makes one database per process). */
function databaseUrlOf(site: SiteProcess): string {
  const url = site.databaseUrl;
  if (!url) throw new Error("the site runs on PGlite");
  return url;
}
