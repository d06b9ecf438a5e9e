import assert from "node:assert/strict";
import { migrate } from "../../../../runtime/db/migrator.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { dayStart, ensureHistoryPartitions, partitionName, QUALITY_CODES } from "../../../../runtime/historian/partitions.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const TAG_ID = "0193a3c0-0000-7000-8000-000000000001";

for (const target of databaseTargets) {
  describe(`history partitions (${target.name})`, function () {
    let test: TestDatabase | undefined;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      test = await target.create();
      await migrate(test.db, ALL_MIGRATIONS);
    });

    after(async () => {
      await test?.drop();
    });

    it("creates one partition per UTC day over a range, once", async () => {
      const db = test!.db;
      const from = Date.parse("2026-12-06T22:00:00Z");
      const to = Date.parse("2026-12-08T01:00:00Z");
      const created = await ensureHistoryPartitions(db, from, to);
      assert.deepEqual(created, ["history_p20261206", "history_p20261207", "history_p20261208"]);
      assert.deepEqual(await ensureHistoryPartitions(db, from, to), []);
    });

    it("routes a value to its day and refuses a second value for the same tag and time", async () => {
      const db = test!.db;
      const ts = new Date("2026-12-07T23:59:59.999Z");
      await db.query("INSERT INTO history (tag_id, ts, value_num, quality) VALUES ($1, $2, $3, $4)", [TAG_ID, ts, 101.5, QUALITY_CODES.good]);
      const where = await db.query<{ partition: string }>("SELECT tableoid::regclass::text AS partition FROM history WHERE tag_id = $1", [TAG_ID]);
      assert.deepEqual(where.rows, [{ partition: "history_p20261207" }]);
      await assert.rejects(
        db.query("INSERT INTO history (tag_id, ts, value_num, quality) VALUES ($1, $2, $3, $4)", [TAG_ID, ts, 7, QUALITY_CODES.good]),
        /duplicate key|unique/i,
      );
    });

    it("refuses a value on a day that has no partition yet", async () => {
      await assert.rejects(
        test!.db.query("INSERT INTO history (tag_id, ts, value_num, quality) VALUES ($1, $2, $3, $4)", [TAG_ID, new Date("2030-01-01T00:00:00Z"), 1, 0]),
        /no partition/i,
      );
    });
  });
}

describe("history partition names", () => {
  it("name the UTC day a time falls in", () => {
    assert.equal(partitionName(dayStart(Date.parse("2026-02-28T23:59:59.999Z"))), "history_p20260228");
    assert.equal(partitionName(dayStart(Date.parse("2026-03-01T00:00:00Z"))), "history_p20260301");
  });
});
