import assert from "node:assert/strict";
import type { RatePoint } from "../../../../../../editor/src/api/reservoir";
import { addDays, exclusionsByDate, fitInput, outlierDates } from "../../../../../../editor/src/modules/reservoir/decline-series";

function point(date: string, rate: number | null, flags: RatePoint["flags"] = [], periodDays = 1): RatePoint {
  return { date, periodDays, volume: rate, daysOn: flags.includes("shutIn") ? 0 : 1, rate, flags, excluded: flags.length > 0 };
}

describe("decline series (web app)", () => {
  const series = {
    points: [point("2024-01-01", 100), point("2024-01-02", null, ["shutIn"]), point("2024-01-03", 90, ["test"]), point("2024-01-04", null, ["noVolume"]), point("2024-01-05", 85)],
  };

  it("turns a series into fit points: shut-in at rate 0 flagged, test days flagged, empty points left out", () => {
    const input = fitInput(series);
    assert.ok(input);
    assert.equal(input.origin, "2024-01-01");
    assert.deepEqual(input.points, [
      { timeDays: 0, ratePerDay: 100 },
      { timeDays: 1, ratePerDay: 0, flag: "shutIn" },
      { timeDays: 2, ratePerDay: 90, flag: "test" },
      { timeDays: 4, ratePerDay: 85 },
    ]);
    assert.deepEqual(
      input.sources.map((source) => source.date),
      ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-05"],
    );
    assert.equal(fitInput({ points: [] }), null);
  });

  it("puts a month at its middle on the time axis", () => {
    const input = fitInput({ points: [point("2024-01-01", 10, [], 31), point("2024-02-01", 9, [], 29)] });
    assert.deepEqual(
      input?.points.map((entry) => entry.timeDays),
      [15.5, 31 + 14.5],
    );
  });

  it("names the fit's outliers by date and merges every reason a point is out", () => {
    const input = fitInput(series);
    assert.ok(input);
    const fit = { excluded: [{ index: 1, timeDays: 1, ratePerDay: 0, reason: "shutIn" as const }, { index: 3, timeDays: 4, ratePerDay: 85, reason: "outlier" as const }] };
    assert.deepEqual(outlierDates(fit, input), [{ date: "2024-01-05", reason: "outlier" }]);
    assert.deepEqual(
      [...exclusionsByDate(series, fit, input)],
      [
        ["2024-01-02", "shutIn"],
        ["2024-01-03", "test"],
        ["2024-01-04", "noVolume"],
        ["2024-01-05", "outlier"],
      ],
    );
    assert.equal(addDays("2024-02-28", 2), "2024-03-01");
  });
});
