/**
 * The Sparkplug codec against payloads written by another encoder (the
 * specification's schema compiled with protobufjs, test/helpers/
 * sparkplug-protobuf.ts), and our payloads read back by it.
 */
import assert from "node:assert/strict";
import { decodeSparkplug, encodeSparkplug, isSupportedMetric, isUntypedMetric, withType } from "../../../../../nodes/sparkplug/shared/sparkplug-codec.js";
import type { DecodedMetric, SparkplugMetric } from "../../../../../nodes/sparkplug/shared/sparkplug-codec.js";
import { DATATYPE, decodeRaw, encodeRaw } from "../../../../helpers/sparkplug-protobuf.js";
import type { RawMetric } from "../../../../helpers/sparkplug-protobuf.js";

const T = 1_780_000_000_000;

function decodeOne(metric: RawMetric): DecodedMetric {
  const [decoded] = decodeSparkplug(encodeRaw({ timestamp: T, seq: 1, metrics: [{ name: "M", ...metric }] })).metrics;
  assert.ok(decoded);
  return decoded;
}

function typed(metric: RawMetric): SparkplugMetric {
  const decoded = decodeOne(metric);
  assert.ok(isSupportedMetric(decoded), `decoded as a supported metric: ${JSON.stringify(decoded)}`);
  return decoded;
}

function valueOf(metric: RawMetric): unknown {
  const decoded = typed(metric);
  assert.equal(decoded.invalid, undefined, `decodable: ${decoded.invalid}`);
  return decoded.value;
}

describe("sparkplug codec (payloads of another encoder)", () => {
  describe("signed integers are two's complement, however the encoder extended them", () => {
    it("Int64 in long_value: −9876543210 arrives negative", () => {
      assert.equal(valueOf({ datatype: DATATYPE.Int64, longValue: "-9876543210" }), -9876543210);
      assert.equal(valueOf({ datatype: DATATYPE.Int64, longValue: "-1" }), -1);
      assert.equal(valueOf({ datatype: DATATYPE.Int64, longValue: "9007199254740991" }), 9007199254740991);
      assert.equal(valueOf({ datatype: DATATYPE.Int64, longValue: "-9007199254740991" }), -9007199254740991);
    });

    it("Int8, Int16, Int32 in int_value, sign-extended to 32 bits or not", () => {
      assert.equal(valueOf({ datatype: DATATYPE.Int8, intValue: 0xfffffffb }), -5);
      assert.equal(valueOf({ datatype: DATATYPE.Int8, intValue: 0xfb }), -5);
      assert.equal(valueOf({ datatype: DATATYPE.Int8, intValue: 0x80 }), -128);
      assert.equal(valueOf({ datatype: DATATYPE.Int8, intValue: 127 }), 127);
      assert.equal(valueOf({ datatype: DATATYPE.Int16, intValue: 0xfffffed4 }), -300);
      assert.equal(valueOf({ datatype: DATATYPE.Int16, intValue: 0xfed4 }), -300);
      assert.equal(valueOf({ datatype: DATATYPE.Int16, intValue: 32767 }), 32767);
      assert.equal(valueOf({ datatype: DATATYPE.Int32, intValue: 0x80000000 }), -2147483648);
      assert.equal(valueOf({ datatype: DATATYPE.Int32, intValue: 0xffffffff }), -1);
      assert.equal(valueOf({ datatype: DATATYPE.Int32, intValue: 2147483647 }), 2147483647);
    });

    it("a small signed type sent in long_value (sign-extended to 64 bits) still fits", () => {
      assert.equal(valueOf({ datatype: DATATYPE.Int16, longValue: "-300" }), -300);
      assert.equal(valueOf({ datatype: DATATYPE.Int32, longValue: "-2147483648" }), -2147483648);
    });
  });

  describe("unsigned integers", () => {
    it("UInt8, UInt16 at their maximum", () => {
      assert.equal(valueOf({ datatype: DATATYPE.UInt8, intValue: 255 }), 255);
      assert.equal(valueOf({ datatype: DATATYPE.UInt16, intValue: 65535 }), 65535);
    });

    it("UInt32 in int_value (Sparkplug 3.0) and in long_value (older encoders)", () => {
      assert.equal(valueOf({ datatype: DATATYPE.UInt32, intValue: 4294967295 }), 4294967295);
      assert.equal(valueOf({ datatype: DATATYPE.UInt32, intValue: 7 }), 7);
      assert.equal(valueOf({ datatype: DATATYPE.UInt32, longValue: 4294967295 }), 4294967295);
      assert.equal(valueOf({ datatype: DATATYPE.UInt32, longValue: 7 }), 7);
    });

    it("UInt64 up to 2^53 − 1 is exact; beyond, the nearest double with the exact decimal and a reason", () => {
      assert.equal(valueOf({ datatype: DATATYPE.UInt64, longValue: "9007199254740991" }), 9007199254740991);
      const max = typed({ datatype: DATATYPE.UInt64, longValue: "18446744073709551615" });
      assert.equal(max.value, 2 ** 64, "2^64 − 1 as the nearest double");
      assert.equal(max.exact, "18446744073709551615");
      assert.equal(max.invalid, undefined);
      const min = typed({ datatype: DATATYPE.Int64, longValue: "-9223372036854775808" });
      assert.equal(min.value, -9223372036854775808);
      assert.equal(min.exact, "-9223372036854775808");
    });

    it("DateTime is milliseconds since the epoch in long_value", () => {
      assert.equal(valueOf({ datatype: DATATYPE.DateTime, longValue: T }), T);
    });
  });

  describe("values that cannot be decoded carry the reason, never a silent null", () => {
    const cases: [string, RawMetric, RegExp][] = [
      ["Int8 out of range", { datatype: DATATYPE.Int8, intValue: 70000 }, /Int8.*70000/],
      ["UInt8 out of range", { datatype: DATATYPE.UInt8, intValue: 300 }, /UInt8.*300/],
      ["UInt32 beyond 32 bits in long_value", { datatype: DATATYPE.UInt32, longValue: "8589934592" }, /UInt32.*8589934592/],
      ["Double in string_value", { datatype: DATATYPE.Double, stringValue: "1.5" }, /Double.*string_value/],
      ["Boolean in int_value", { datatype: DATATYPE.Boolean, intValue: 1 }, /Boolean.*int_value/],
      ["Int64 without a value or is_null", { datatype: DATATYPE.Int64 }, /Int64.*no value/],
      ["String in long_value", { datatype: DATATYPE.String, longValue: 3 }, /String.*long_value/],
    ];
    for (const [what, metric, reason] of cases) {
      it(what, () => {
        const decoded = typed(metric);
        assert.equal(decoded.value, null);
        assert.match(decoded.invalid ?? "(no reason)", reason);
      });
    }

    it("an explicit is_null is a null value, not an error", () => {
      const decoded = typed({ datatype: DATATYPE.Int64, isNull: true });
      assert.equal(decoded.value, null);
      assert.equal(decoded.invalid, undefined);
    });
  });

  it("a DATA metric without datatype (as Sparkplug 3.0 recommends) is typed later from the birth", () => {
    const decoded = decodeOne({ alias: 4, longValue: "-9876543210" });
    assert.ok(isUntypedMetric(decoded));
    assert.equal(decoded.alias, 4);
    const resolved = withType(decoded, "Int64");
    assert.ok(isSupportedMetric(resolved));
    assert.equal(resolved.value, -9876543210);
    const wrong = withType(decoded, "Boolean");
    assert.ok(isSupportedMetric(wrong));
    assert.match(wrong.invalid ?? "", /Boolean.*long_value/);
  });

  it("reads quality from the Quality property in int_value or long_value", () => {
    assert.equal(typed({ datatype: DATATYPE.Double, doubleValue: 1, properties: { keys: ["Quality"], values: [{ type: DATATYPE.Int32, intValue: 0 }] } }).quality, 0);
    assert.equal(typed({ datatype: DATATYPE.Double, doubleValue: 1, properties: { keys: ["Quality"], values: [{ type: DATATYPE.Int32, intValue: 500 }] } }).quality, 500);
    assert.equal(typed({ datatype: DATATYPE.Double, doubleValue: 1, properties: { keys: ["Quality"], values: [{ type: DATATYPE.Int64, longValue: 64 }] } }).quality, 64);
  });

  describe("our payloads, read by the other decoder", () => {
    it("signed types are two's complement in their spec field; UInt32 travels in int_value", () => {
      const bytes = encodeSparkplug({
        timestamp: T,
        seq: 3,
        metrics: [
          { name: "i64", type: "Int64", value: -9876543210 },
          { name: "i32", type: "Int32", value: -2 },
          { name: "i8", type: "Int8", value: -5 },
          { name: "u32", type: "UInt32", value: 4294967295 },
          { name: "u64", type: "UInt64", value: 9007199254740991 },
          { name: "d", type: "Double", value: 1.5, quality: 0 },
          { name: "n", type: "String", value: null },
        ],
      });
      const wire = decodeRaw(bytes);
      assert.equal(wire.timestamp, String(T));
      assert.equal(wire.seq, "3");
      const byName = new Map((wire.metrics ?? []).map((m) => [m.name, m]));
      assert.deepEqual(byName.get("i64"), { name: "i64", datatype: DATATYPE.Int64, longValue: "18446744063833008406", value: "longValue" });
      assert.equal(byName.get("i32")?.intValue, 0xfffffffe);
      assert.equal(byName.get("i8")?.intValue, 0xfffffffb);
      assert.deepEqual([byName.get("u32")?.value, byName.get("u32")?.intValue], ["intValue", 4294967295]);
      assert.equal(byName.get("u64")?.longValue, "9007199254740991");
      assert.deepEqual(byName.get("d")?.properties, { keys: ["Quality"], values: [{ type: DATATYPE.Int32, intValue: 0, value: "intValue" }] });
      assert.deepEqual(byName.get("n"), { name: "n", datatype: DATATYPE.String, isNull: true });
    });

    it("round-trips through our own decoder too", () => {
      const metrics: SparkplugMetric[] = [
        { name: "i64", type: "Int64", value: -9876543210, timestamp: T },
        { alias: 9, type: "UInt32", value: 4294967295, isHistorical: true },
        { name: "b", type: "Boolean", value: true, quality: 64 },
      ];
      assert.deepEqual(decodeSparkplug(encodeSparkplug({ timestamp: T, seq: 0, metrics })), { timestamp: T, seq: 0, metrics });
    });
  });
});
