import assert from "node:assert/strict";
import { DatabaseUnavailableError } from "../../../../runtime/db/database-errors.js";
import { LastKnownAssetCodes } from "../../../../runtime/flow-entries/last-known-asset-codes.js";

describe("last known asset codes", () => {
  const register = new Map([["TK-01", "id-tk-01"]]);
  let away: Error | "hang" | null;
  const lookUp = (code: string) => {
    if (away === "hang") return new Promise<string | null>(() => undefined);
    return away ? Promise.reject(away) : Promise.resolve(register.get(code) ?? null);
  };

  beforeEach(() => {
    away = null;
  });

  it("answers from the register while it answers, and from the last answer while the database is away", async () => {
    const codes = new LastKnownAssetCodes(lookUp, 100);
    assert.equal(await codes.idByCode("TK-01"), "id-tk-01");
    away = new DatabaseUnavailableError("connection reset");
    assert.equal(await codes.idByCode("TK-01"), "id-tk-01");
    away = "hang";
    assert.equal(await codes.idByCode("TK-01"), "id-tk-01", "no answer in time counts as away");
  });

  it("fails as the database does for a code it has not seen, and for other errors", async () => {
    const codes = new LastKnownAssetCodes(lookUp, 100);
    away = new DatabaseUnavailableError("connection reset");
    await assert.rejects(codes.idByCode("TK-02"), DatabaseUnavailableError);
    codes.prime([{ code: "TK-02", id: "id-tk-02" }]);
    assert.equal(await codes.idByCode("TK-02"), "id-tk-02", "primed codes are known from the start");
    away = new Error("syntax error");
    await assert.rejects(codes.idByCode("TK-02"), /syntax error/);
  });

  it("forgets a code the register no longer has", async () => {
    const codes = new LastKnownAssetCodes(lookUp, 100);
    codes.prime([{ code: "TK-09", id: "id-old" }]);
    assert.equal(await codes.idByCode("TK-09"), null);
    away = new DatabaseUnavailableError("connection reset");
    await assert.rejects(codes.idByCode("TK-09"), DatabaseUnavailableError);
  });
});
