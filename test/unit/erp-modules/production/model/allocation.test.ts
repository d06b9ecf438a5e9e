import assert from "node:assert/strict";
import fc from "fast-check";
import {
  AllocationInputError,
  allocateProportionally,
  fromUnits,
  theoreticalVolume,
  toUnits,
  VOLUME_SCALE,
  type AllocationShare,
} from "../../../../../erp-modules/production/model/allocation.js";

/** Units of a plain decimal string with at most 6 decimals, computed without the code under test. */
function referenceUnits(text: string): bigint {
  const [integerPart = "", fractionPart = ""] = text.split(".");
  return BigInt(integerPart) * 1_000_000n + BigInt(fractionPart.padEnd(6, "0"));
}

/** "123", "123.4", ... "123.456789": 0 to 6 decimals, as an operator or a meter would write them. */
function decimalString(maxInteger: bigint): fc.Arbitrary<string> {
  return fc
    .tuple(fc.bigInt(0n, maxInteger), fc.stringMatching(/^\d{0,6}$/))
    .map(([integerPart, fractionPart]) => (fractionPart ? `${integerPart}.${fractionPart}` : `${integerPart}`));
}

const totalArb = fc.oneof(
  decimalString(999_999_999n),
  fc.constantFrom("0", "0.000001", "0.000002", "1000000000", "1000000000.000000"),
  // Totals of a few units stress the leftover distribution: most shares floor to 0.
  fc.integer({ min: 0, max: 500 }).map((units) => fromUnits(BigInt(units))),
);

const weightArb: fc.Arbitrary<number | string> = fc.oneof(
  // Repeated small values make equal remainders, so the tie-break by key is exercised.
  fc.constantFrom<number | string>(0, "0", 1, "1.5", 2, "0.000001", "0.0000004"),
  fc.integer({ min: 0, max: 1_000_000 }),
  decimalString(1_000_000n),
  // More decimals than the scale: toUnits rounds them first.
  fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);

function sharesOfSize(size: fc.SizeForArbitrary): fc.Arbitrary<AllocationShare[]> {
  return fc
    .uniqueArray(fc.record({ key: fc.string({ maxLength: 6 }), weight: weightArb }), {
      selector: (share) => share.key,
      minLength: 1,
      maxLength: 200,
      size,
    })
    .map((shares) =>
      shares.every((share) => toUnits(share.weight) === 0n) ? [{ ...shares[0], weight: 1 }, ...shares.slice(1)] : shares,
    );
}

// Short lists (many ties, leftovers larger than most shares) and lists spread over the whole 1..200.
const sharesArb = fc.oneof(sharesOfSize("small"), sharesOfSize("max"));

function expectInputError(run: () => unknown, field: string, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AllocationInputError, `expected an AllocationInputError, got ${String(error)}`);
    assert.equal(error.field, field);
    assert.match(error.message, message);
    return true;
  });
}

function volumesByKey(total: string | number, shares: readonly AllocationShare[], scale?: number): Record<string, string> {
  return Object.fromEntries(allocateProportionally(total, shares, scale).map((share) => [share.key, share.volume]));
}

describe("production allocation math", () => {
  describe("allocateProportionally properties", () => {
    it("sums exactly to the total, keeps every share within one unit of its exact value and never negative", () => {
      fc.assert(
        fc.property(totalArb, sharesArb, (total, shares) => {
          const totalUnits = referenceUnits(total);
          const weights = shares.map((share) => toUnits(share.weight));
          const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
          const allocated = allocateProportionally(total, shares);

          assert.deepEqual(
            allocated.map((share) => share.key),
            shares.map((share) => share.key),
          );
          assert.equal(
            allocated.reduce((sum, share) => sum + share.units, 0n),
            totalUnits,
          );
          allocated.forEach((share, index) => {
            const weight = weights[index];
            assert.ok(share.units >= 0n, `share ${share.key} is negative`);
            // |units − total·w/W| < 1  ⇔  |units·W − total·w| < W, all in integers.
            const error = share.units * weightSum - totalUnits * weight;
            assert.ok((error < 0n ? -error : error) < weightSum, `share ${share.key} is more than a unit off`);
            if (weight === 0n) assert.equal(share.units, 0n);
            assert.equal(share.volume, fromUnits(share.units));
          });
        }),
      );
    });

    it("gives every key the same allocation whatever the input order", () => {
      const sharesAndPermutation = sharesArb.chain((shares) =>
        fc.tuple(fc.constant(shares), fc.shuffledSubarray(shares, { minLength: shares.length, maxLength: shares.length })),
      );
      fc.assert(
        fc.property(totalArb, sharesAndPermutation, (total, [shares, permuted]) => {
          assert.deepEqual(volumesByKey(total, permuted), volumesByKey(total, shares));
        }),
      );
    });
  });

  describe("allocateProportionally examples", () => {
    it("gives leftover units to equal remainders by key ascending, and answers in input order", () => {
      const allocated = allocateProportionally("10", [
        { key: "c", weight: 1 },
        { key: "a", weight: 1 },
        { key: "b", weight: 1 },
      ]);
      assert.deepEqual(allocated, [
        { key: "c", units: 3_333_333n, volume: "3.333333" },
        { key: "a", units: 3_333_334n, volume: "3.333334" },
        { key: "b", units: 3_333_333n, volume: "3.333333" },
      ]);
    });

    it("gives a leftover unit to the largest remainder before looking at keys", () => {
      // Exact shares 1/3 and 2/3 of one unit: "b" has the larger remainder.
      assert.deepEqual(volumesByKey("0.000001", [{ key: "a", weight: "1" }, { key: "b", weight: "2" }]), {
        a: "0.000000",
        b: "0.000001",
      });
    });

    it("splits a total by theoretical volumes", () => {
      assert.deepEqual(
        volumesByKey(1000, [
          { key: "WELL-101", weight: "600" },
          { key: "WELL-102", weight: "300.000000" },
          { key: "WELL-103", weight: 100 },
          { key: "WELL-104", weight: 0 },
        ]),
        { "WELL-101": "600.000000", "WELL-102": "300.000000", "WELL-103": "100.000000", "WELL-104": "0.000000" },
      );
    });

    it("allocates a zero total as zeros, even without a basis", () => {
      assert.deepEqual(volumesByKey("0.000000", [{ key: "a", weight: 0 }, { key: "b", weight: 0 }]), {
        a: "0.000000",
        b: "0.000000",
      });
      assert.deepEqual(allocateProportionally(0, []), []);
    });

    it("counts a weight that rounds to zero units as zero", () => {
      assert.deepEqual(volumesByKey("5", [{ key: "tiny", weight: "0.0000004" }, { key: "big", weight: "1" }]), {
        tiny: "0.000000",
        big: "5.000000",
      });
    });

    it("works at another scale", () => {
      assert.deepEqual(volumesByKey("1", [{ key: "a", weight: 1 }, { key: "b", weight: 1 }, { key: "c", weight: 1 }], 2), {
        a: "0.34",
        b: "0.33",
        c: "0.33",
      });
      assert.deepEqual(volumesByKey(7, [{ key: "x", weight: 1 }, { key: "y", weight: 1 }], 0), { x: "4", y: "3" });
    });

    it("rejects a positive total without a basis", () => {
      expectInputError(() => allocateProportionally("5", [{ key: "a", weight: 0 }]), "shares", /^no basis to allocate 5\.000000/);
      expectInputError(() => allocateProportionally("5", []), "shares", /no basis/);
    });

    it("rejects a negative, non-finite or malformed total", () => {
      expectInputError(() => allocateProportionally(-1, [{ key: "a", weight: 1 }]), "measuredTotal", /must not be negative/);
      // Negative even though it rounds to zero units.
      expectInputError(() => allocateProportionally("-0.0000001", [{ key: "a", weight: 1 }]), "measuredTotal", /negative/);
      expectInputError(() => allocateProportionally(Number.NaN, [{ key: "a", weight: 1 }]), "measuredTotal", /finite/);
      expectInputError(() => allocateProportionally("12 m3", [{ key: "a", weight: 1 }]), "measuredTotal", /not a decimal/);
    });

    it("rejects negative or invalid weights naming the share", () => {
      const shares = (weight: number | string): AllocationShare[] => [
        { key: "a", weight: 1 },
        { key: "b", weight },
      ];
      expectInputError(() => allocateProportionally(1, shares(-2)), "shares[1].weight", /^shares\[1\]\.weight must not be negative/);
      expectInputError(() => allocateProportionally(1, shares("-0.0000001")), "shares[1].weight", /negative/);
      expectInputError(() => allocateProportionally(1, shares(Number.POSITIVE_INFINITY)), "shares[1].weight", /finite/);
      expectInputError(() => allocateProportionally(1, shares("")), "shares[1].weight", /not a decimal/);
    });

    it("rejects duplicate keys", () => {
      expectInputError(
        () => allocateProportionally(1, [{ key: "a", weight: 1 }, { key: "b", weight: 1 }, { key: "a", weight: 2 }]),
        "shares[2].key",
        /duplicate share key "a"/,
      );
    });
  });

  describe("toUnits and fromUnits", () => {
    it("round-trips canonical strings", () => {
      const canonical = fc
        .tuple(fc.boolean(), fc.bigInt(0n, 10n ** 15n), fc.stringMatching(/^\d{6}$/))
        .filter(([negative, integerPart, fractionPart]) => !negative || integerPart > 0n || fractionPart !== "000000")
        .map(([negative, integerPart, fractionPart]) => `${negative ? "-" : ""}${integerPart}.${fractionPart}`);
      fc.assert(
        fc.property(canonical, (text) => {
          assert.equal(fromUnits(toUnits(text)), text);
        }),
      );
      fc.assert(
        fc.property(fc.bigInt(-(10n ** 30n), 10n ** 30n), fc.integer({ min: 0, max: 12 }), (units, scale) => {
          assert.equal(toUnits(fromUnits(units, scale), scale), units);
        }),
      );
    });

    it("rounds digits beyond the scale half away from zero", () => {
      const longDecimal = fc.tuple(fc.boolean(), fc.bigInt(0n, 10n ** 12n), fc.stringMatching(/^\d{7,12}$/));
      fc.assert(
        fc.property(longDecimal, ([negative, integerPart, fractionPart]) => {
          const magnitude =
            referenceUnits(`${integerPart}.${fractionPart.slice(0, 6)}`) + (fractionPart.charAt(6) >= "5" ? 1n : 0n);
          assert.equal(toUnits(`${negative ? "-" : ""}${integerPart}.${fractionPart}`), negative ? -magnitude : magnitude);
        }),
      );
    });

    it("reads a number as the decimal it prints as, not its binary expansion", () => {
      fc.assert(
        fc.property(fc.integer({ min: -(10 ** 15), max: 10 ** 15 }), (units) => {
          assert.equal(toUnits(units / 1e6), BigInt(units));
        }),
      );
      assert.equal(toUnits(0.1), 100_000n);
      assert.equal(toUnits(0.1 + 0.2), 300_000n); // 0.30000000000000004
    });

    it("handles exponents, signs and other scales", () => {
      assert.equal(toUnits("1.23e3"), 1_230_000_000n);
      assert.equal(toUnits("+.5"), 500_000n);
      assert.equal(toUnits("5."), 5_000_000n);
      assert.equal(toUnits(1e-7), 0n);
      assert.equal(toUnits(5e-7), 1n);
      assert.equal(toUnits(-5e-7), -1n);
      assert.equal(toUnits(1e21), 10n ** 27n);
      assert.equal(toUnits("-0"), 0n);
      assert.equal(toUnits("2.5", 0), 3n);
      assert.equal(toUnits("-2.5", 0), -3n);
      assert.equal(toUnits("0.125", 2), 13n);
    });

    it("formats units canonically", () => {
      assert.equal(fromUnits(-1n), "-0.000001");
      assert.equal(fromUnits(12_500_000n), "12.500000");
      assert.equal(fromUnits(0n), "0.000000");
      assert.equal(fromUnits(42n, 0), "42");
      assert.equal(fromUnits(-42n, 0), "-42");
      assert.equal(fromUnits(5n, 2), "0.05");
      assert.equal(fromUnits(10n ** 20n, VOLUME_SCALE), "100000000000000.000000");
    });

    it("rejects what is not a decimal", () => {
      for (const garbage of ["", ".", "-", "1,5", " 1", "1 ", "1e", "0x10", "1_000", "١٢"]) {
        expectInputError(() => toUnits(garbage), "value", /not a decimal/);
      }
      expectInputError(() => toUnits(Number.NaN), "value", /^value must be a finite number, got NaN$/);
      expectInputError(() => toUnits(Number.NEGATIVE_INFINITY), "value", /finite/);
      expectInputError(() => toUnits("1e999999"), "value", /out of range/);
      expectInputError(() => toUnits(1, -1), "scale", /scale must be an integer/);
      expectInputError(() => fromUnits(1n, 1.5), "scale", /scale must be an integer/);
    });
  });

  describe("theoreticalVolume", () => {
    it("is rate × hours / 24 rounded half-up once", () => {
      const sixDecimals = decimalString(10_000_000n);
      const hours = fc.integer({ min: 0, max: 24_000_000 }).map((micro) => fromUnits(BigInt(micro)));
      fc.assert(
        fc.property(sixDecimals, hours, (rate, uptime) => {
          const resultUnits = referenceUnits(theoreticalVolume(rate, uptime));
          // exact = rate·hours/24 in units = rateUnits·hoursUnits / (24·1e6); the result is within half a unit.
          const exactTimesDenominator = referenceUnits(rate) * referenceUnits(uptime);
          const denominator = 24n * 1_000_000n;
          const error = resultUnits * denominator - exactTimesDenominator;
          assert.ok(-denominator / 2n < error && error <= denominator / 2n, `${rate} × ${uptime} / 24`);
        }),
      );
    });

    it("computes typical days", () => {
      assert.equal(theoreticalVolume(100, 24), "100.000000");
      assert.equal(theoreticalVolume("100", "12"), "50.000000");
      assert.equal(theoreticalVolume(1, 1), "0.041667");
      assert.equal(theoreticalVolume(250.5, 0), "0.000000");
      // 0.000012 × 1 / 24 = 0.0000005 exactly: half rounds up.
      assert.equal(theoreticalVolume("0.000012", 1), "0.000001");
      assert.equal(theoreticalVolume("0.000011", 1), "0.000000");
      // Inputs with more decimals than the scale are not rounded before multiplying.
      assert.equal(theoreticalVolume("0.0000004", 24), "0.000000");
      assert.equal(theoreticalVolume("0.0000006", 24), "0.000001");
      assert.equal(theoreticalVolume(3, 8, 2), "1.00");
    });

    it("rejects a negative rate and hours outside 0..24", () => {
      expectInputError(() => theoreticalVolume(-1, 10), "ratePerDay", /^ratePerDay must not be negative/);
      expectInputError(() => theoreticalVolume("abc", 10), "ratePerDay", /not a decimal/);
      expectInputError(() => theoreticalVolume(100, 24.000001), "uptimeHours", /^uptimeHours must be between 0 and 24/);
      expectInputError(() => theoreticalVolume(100, -0.5), "uptimeHours", /between 0 and 24/);
      expectInputError(() => theoreticalVolume(100, Number.NaN), "uptimeHours", /finite/);
    });
  });
});
