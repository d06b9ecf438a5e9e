import assert from "node:assert/strict";
import { M3_PER_BBL, mapHeaders, normalizeHeader, parseHistoryRecord, parsePeriodStart, periodDays, toSi, type HeaderMapping } from "../../../../../erp-modules/reservoir/model/history-csv.js";

function mapping(headers: string[], unitSystem: "oilfield" | "metric" = "oilfield"): HeaderMapping {
  const mapped = mapHeaders(headers, unitSystem);
  assert.ok("mapping" in mapped, JSON.stringify(mapped));
  return mapped.mapping;
}

describe("history CSV model", () => {
  describe("headers", () => {
    it("recognises the names OFM-like exports use, with and without units", () => {
      const columns = mapping(["Well Name", "API Number", "Prod Date", "Oil (bbl)", "Gas, Mcf", "WTR", "Days On", "Operator"]).columns;
      assert.deepEqual([...columns.values()], ["well", "uwi", "date", "oil", "gas", "water", "daysOn"]);
      assert.deepEqual(mapping(["Pozo", "Fecha", "Petróleo m3", "Gas Sm3", "Agua m3", "Días"], "metric").ignored, []);
      assert.equal(normalizeHeader("Petróleo (m³)"), "petroleom");
    });

    it("refuses a unit that contradicts the declared system, naming the header", () => {
      assert.deepEqual(mapHeaders(["Well", "Date", "Oil (m3)"], "oilfield"), {
        problem: { field: "Oil (m3)", reason: "unit_mismatch", params: { unit: "m3", unitSystem: "oilfield" } },
      });
      assert.deepEqual(mapHeaders(["Well", "Date", "Gas Mscf"], "metric"), {
        problem: { field: "Gas Mscf", reason: "unit_mismatch", params: { unit: "Mscf", unitSystem: "metric" } },
      });
    });

    it("needs a well or UWI, a date and at least one volume column; refuses a column given twice", () => {
      const reasons = [["Date", "Oil"], ["Well", "Oil"], ["Well", "Date", "Days On"], ["Well", "Date", "Oil", "Oil bbl"]].map((headers) => {
        const mapped = mapHeaders(headers, "oilfield");
        return "problem" in mapped ? mapped.problem.reason : "accepted";
      });
      assert.deepEqual(reasons, ["missing_column", "missing_column", "missing_column", "duplicate_in_file"]);
    });
  });

  describe("dates", () => {
    it("reads ISO, slashed and US dates; a monthly row takes its month's first day", () => {
      assert.deepEqual(
        ["2024-02-29", "2024/2/29", "2/29/2024", "2024-02", "2024-02-15T00:00:00"].map((text) => parsePeriodStart(text, "monthly")),
        ["2024-02-01", "2024-02-01", "2024-02-01", "2024-02-01", "2024-02-01"],
      );
      assert.equal(parsePeriodStart("2/29/2024", "daily"), "2024-02-29");
    });

    it("refuses impossible dates and a bare month for daily rows", () => {
      assert.deepEqual(
        ["2023-02-29", "2024-13-01", "31/12/2024", "2024-02", "1899-12-01", ""].map((text) => parsePeriodStart(text, "daily")),
        [null, null, null, null, null, null],
      );
    });

    it("counts the days of a period", () => {
      assert.deepEqual([periodDays("2024-02-01", "monthly"), periodDays("2023-02-01", "monthly"), periodDays("2024-02-10", "daily")], [29, 28, 1]);
    });
  });

  describe("conversion to SI", () => {
    it("takes bbl to m3 and Mscf to Sm3 (1 bbl = 0.158987294928 m3; 1 Mscf = 1000 × 0.3048³ m3)", () => {
      assert.equal(toSi(1000, "liquid", "oilfield"), 158.987294928);
      assert.ok(Math.abs((toSi(1, "gas", "oilfield") ?? 0) - 28.316846592) < 1e-12);
      assert.equal(toSi(12.5, "gas", "metric"), 12.5);
      assert.equal(toSi(null, "liquid", "oilfield"), null);
    });
  });

  describe("records", () => {
    const map = mapping(["Well", "UWI", "Date", "Oil bbl", "Gas mcf", "Water bbl", "Days On"]);
    const options = { unitSystem: "oilfield", frequency: "monthly" } as const;

    it("turns a good record into an SI row; empty cells are not reported (null)", () => {
      const parsed = parseHistoryRecord({ Well: "W-1", UWI: "", Date: "1/31/2024", "Oil bbl": "310", "Gas mcf": "", "Water bbl": "1e2", "Days On": "31" }, 2, map, options);
      assert.ok("row" in parsed);
      assert.deepEqual(parsed.row, {
        line: 2,
        wellKey: { code: "W-1", uwi: null },
        periodStart: "2024-01-01",
        oilVolumeM3: 310 * M3_PER_BBL,
        gasVolumeSm3: null,
        waterVolumeM3: 100 * M3_PER_BBL,
        daysOnProduction: 31,
      });
    });

    it("lists every problem of a record with its line and header", () => {
      const parsed = parseHistoryRecord({ Well: "", UWI: "", Date: "someday", "Oil bbl": "1,200", "Gas mcf": "-3", "Water bbl": "", "Days On": "40" }, 7, map, options);
      assert.ok("problems" in parsed);
      assert.deepEqual(
        parsed.problems.map((problem) => [problem.line, problem.details.field, problem.details.reason]),
        [
          [7, "Well", "required"],
          [7, "Date", "invalid_format"],
          [7, "Oil bbl", "wrong_type"],
          [7, "Gas mcf", "below_minimum"],
        ],
      );
    });

    it("refuses more days on than the period has, and a row with no volume at all", () => {
      const tooMany = parseHistoryRecord({ Well: "W", UWI: "", Date: "2023-02-01", "Oil bbl": "1", "Gas mcf": "", "Water bbl": "", "Days On": "29" }, 3, map, options);
      assert.ok("problems" in tooMany && tooMany.problems[0].details.reason === "days_on_above_period");
      const empty = parseHistoryRecord({ Well: "W", UWI: "", Date: "2023-02-01", "Oil bbl": "", "Gas mcf": "", "Water bbl": "", "Days On": "" }, 4, map, options);
      assert.ok("problems" in empty && empty.problems[0].details.reason === "required");
    });
  });
});
