import assert from "node:assert/strict";
import { EdgeAliasTable, HostAliasTable } from "../../../../../nodes/sparkplug/shared/alias-table.js";
import { connectionStatus, nextConnectionState } from "../../../../../nodes/sparkplug/shared/connection-state.js";
import { EdgeNodeLogic } from "../../../../../nodes/sparkplug/shared/edge-node-logic.js";
import type { Publication } from "../../../../../nodes/sparkplug/shared/edge-node-logic.js";
import { changeFromTag, tagPathOfWrite } from "../../../../../nodes/sparkplug/shared/edge-tag-mapping.js";
import { hostCommand, parseHostCommand } from "../../../../../nodes/sparkplug/shared/host-command.js";
import { HostLogic, hostStateMessage } from "../../../../../nodes/sparkplug/shared/host-logic.js";
import { coerceToType, sanitiseLevel, tagPathFor } from "../../../../../nodes/sparkplug/shared/metric-mapping.js";
import { BdSeqCounter, SeqCounter } from "../../../../../nodes/sparkplug/shared/sequence.js";
import { decodeSparkplug, encodeSparkplug } from "../../../../../nodes/sparkplug/shared/sparkplug-codec.js";
import type { DecodedPayload } from "../../../../../nodes/sparkplug/shared/sparkplug-codec.js";
import { StoreAndForwardQueue } from "../../../../../nodes/sparkplug/shared/store-and-forward.js";
import type { BdSeqStore } from "../../../../../nodes/sparkplug/shared/bdseq-store.js";
import { DATATYPE, decodeRaw, encodeRaw } from "../../../../helpers/sparkplug-protobuf.js";
import { parseHostState, parseTopic } from "../../../../../nodes/sparkplug/shared/sparkplug-topic.js";
import type { EdgeTopic } from "../../../../../nodes/sparkplug/shared/sparkplug-topic.js";

const T = 1_780_000_000_000;

function edge(primaryHostId?: string, bufferSize = 100): EdgeNodeLogic {
  return new EdgeNodeLogic({ groupId: "G", edgeNodeId: "E", bufferSize, now: () => T, ...(primaryHostId && { primaryHostId }) });
}

function types(publications: Publication[]): string[] {
  return publications.map((p) => p.topic.split("/")[2]);
}

function topic(value: string): EdgeTopic {
  const parsed = parseTopic(value);
  assert.ok(parsed && parsed.kind === "edge");
  return parsed;
}

function roundTrip(payload: Publication["payload"]): DecodedPayload {
  return decodeSparkplug(encodeSparkplug(payload));
}

describe("sparkplug pure logic", () => {
  describe("sequences", () => {
    it("seq starts at 0 with NBIRTH and wraps 255 → 0", () => {
      const seq = new SeqCounter();
      assert.equal(seq.birth(), 0);
      const values = Array.from({ length: 256 }, () => seq.next());
      assert.equal(values[254], 255);
      assert.equal(values[255], 0);
    });

    it("bdSeq grows by one per established session, not per failed CONNECT", () => {
      const bd = new BdSeqCounter();
      assert.equal(bd.forConnect(), 0);
      bd.sessionEstablished();
      assert.equal(bd.forConnect(), 1);
      assert.equal(bd.forConnect(), 1, "a CONNECT without CONNACK reuses the value");
      bd.sessionEstablished();
      assert.equal(bd.forConnect(), 2);
      const wrapping = new BdSeqCounter(255);
      wrapping.sessionEstablished();
      assert.equal(wrapping.forConnect(), 0);
    });
  });

  describe("alias tables", () => {
    it("the edge keeps one alias per (device, metric) and resolves commands per device", () => {
      const table = new EdgeAliasTable();
      assert.equal(table.aliasOf(null, "bdSeq"), 0);
      assert.equal(table.aliasOf("WELL-1", "THP"), 1);
      assert.equal(table.aliasOf("WELL-2", "THP"), 2);
      assert.equal(table.aliasOf("WELL-1", "THP"), 1);
      assert.equal(table.resolve("WELL-1", 1), "THP");
      assert.equal(table.resolve("WELL-2", 1), undefined);
    });

    it("the host learns aliases from births and forgets a device's on its new DBIRTH", () => {
      const table = new HostAliasTable();
      table.learn("D", { name: "THP", alias: 5, type: "Double" });
      assert.deepEqual(table.resolve("D", 5), { name: "THP", type: "Double" });
      assert.equal(table.byMetricName("D", "THP")?.type, "Double");
      table.forgetDevice("D");
      assert.equal(table.resolve("D", 5), undefined);
    });
  });

  describe("store-and-forward queue", () => {
    it("keeps order, drops the oldest when full and counts the drops", () => {
      const queue = new StoreAndForwardQueue<number>(3);
      for (let i = 1; i <= 5; i++) queue.push(i);
      assert.equal(queue.size, 3);
      assert.equal(queue.dropped, 2);
      assert.deepEqual(queue.drain(), [3, 4, 5]);
      assert.equal(queue.size, 0);
      assert.throws(() => new StoreAndForwardQueue(0), /positive integer/);
    });

    it("stays bounded over many pushes", () => {
      const queue = new StoreAndForwardQueue<number>(10);
      for (let i = 0; i < 10_000; i++) queue.push(i);
      assert.deepEqual(queue.drain(), [9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999]);
      assert.equal(queue.dropped, 9990);
    });
  });

  describe("edge node", () => {
    it("births: NBIRTH seq 0 with bdSeq, rebirth control and aliases, then one DBIRTH per device", () => {
      const logic = edge();
      logic.update([
        { deviceId: "WELL-1", name: "THP", value: 1200, t: T },
        { deviceId: null, name: "Uptime", value: 5, t: T },
        { deviceId: "WELL-2", name: "RUN", value: true, t: T },
      ]);
      logic.will();
      const births = logic.sessionEstablished();
      assert.deepEqual(types(births), ["NBIRTH", "DBIRTH", "DBIRTH"]);
      assert.deepEqual(births.map((p) => p.payload.seq), [0, 1, 2]);
      const nbirth = births[0].payload.metrics;
      assert.deepEqual(nbirth.map((m) => [m.name, m.type, m.value]), [["bdSeq", "Int64", 0], ["Node Control/Rebirth", "Boolean", false], ["Uptime", "Double", 5]]);
      assert.deepEqual(nbirth.map((m) => typeof m.alias), ["number", "undefined", "number"], "every birth metric but Node Control/Rebirth has an alias");
      assert.equal(births[1].topic, "spBv1.0/G/DBIRTH/E/WELL-1");
      assert.deepEqual(births[2].payload.metrics.map((m) => [m.name, m.type, m.value]), [["RUN", "Boolean", true]]);
    });

    it("publishes only changed values, by alias, in NDATA/DDATA with the next seq", () => {
      const logic = edge();
      logic.update([{ deviceId: "W", name: "THP", value: 1, t: T }, { deviceId: "W", name: "TT", value: 2, t: T }]);
      logic.will();
      const births = logic.sessionEstablished();
      const thpAlias = births[1].payload.metrics[0].alias;
      assert.deepEqual(logic.update([{ deviceId: "W", name: "THP", value: 1, t: T + 1 }]), [], "an unchanged value is not published");
      const data = logic.update([{ deviceId: "W", name: "THP", value: 3, t: T + 2 }, { deviceId: null, name: "N", value: 1, t: T + 2 }]);
      assert.deepEqual(types(data), ["NBIRTH", "DBIRTH"], "a new metric forces a rebirth");
      const more = logic.update([{ deviceId: "W", name: "THP", value: 4, t: T + 3 }, { deviceId: null, name: "N", value: 2, t: T + 3 }]);
      assert.deepEqual(types(more), ["DDATA", "NDATA"]);
      assert.deepEqual(more.map((p) => p.payload.seq), [2, 3]);
      assert.deepEqual(more[0].payload.metrics, [{ alias: thpAlias, type: "Double", value: 4, timestamp: T + 3 }]);
    });

    it("NDEATH carries the bdSeq of the session; a new session's births carry bdSeq + 1", () => {
      const logic = edge();
      const firstWill = logic.will();
      assert.equal(firstWill.qos, 1);
      assert.deepEqual(firstWill.payload.metrics, [{ name: "bdSeq", type: "Int64", value: 0 }]);
      logic.sessionEstablished();
      logic.sessionLost();
      assert.equal(logic.will().payload.metrics[0].value, 1);
      assert.equal(logic.sessionEstablished()[0].payload.metrics[0].value, 1);
      assert.equal(logic.deathForClose().payload.metrics[0].value, 1);
    });

    it("NBIRTH's Node Control/Rebirth carries no alias, so any host can ask for a rebirth by name (read by another decoder)", () => {
      const logic = edge();
      logic.update([{ deviceId: "W", name: "THP", value: 1, t: T }]);
      logic.will();
      const [nbirth] = logic.sessionEstablished();
      const wire = decodeRaw(encodeSparkplug(nbirth.payload));
      const rebirth = wire.metrics?.find((m) => m.name === "Node Control/Rebirth");
      assert.deepEqual(rebirth && { ...rebirth, timestamp: undefined }, { name: "Node Control/Rebirth", datatype: DATATYPE.Boolean, booleanValue: false, value: "booleanValue", timestamp: undefined });
      assert.ok(!("alias" in (rebirth ?? {})), "no alias on the wire");
      const bdSeq = wire.metrics?.find((m) => m.name === "bdSeq");
      assert.deepEqual([bdSeq?.datatype, bdSeq?.longValue], [DATATYPE.Int64, "0"]);
      const others = (wire.metrics ?? []).filter((m) => m.name !== "Node Control/Rebirth");
      assert.ok(others.every((m) => m.alias !== undefined), "every other birth metric has an alias");
    });

    it("keeps bdSeq across restarts: the next process's Will and NBIRTH carry the last one + 1", () => {
      let saved: number | undefined;
      const store: BdSeqStore = { load: () => saved, save: (value) => (saved = value) };
      const first = new EdgeNodeLogic({ groupId: "G", edgeNodeId: "E", bufferSize: 10, now: () => T, bdSeqStore: store });
      assert.equal(first.will().payload.metrics[0].value, 0);
      first.sessionEstablished();
      first.sessionLost();
      assert.equal(first.will().payload.metrics[0].value, 1);
      first.sessionEstablished();
      assert.equal(saved, 1);
      const restarted = new EdgeNodeLogic({ groupId: "G", edgeNodeId: "E", bufferSize: 10, now: () => T, bdSeqStore: store });
      const will = restarted.will();
      assert.equal(will.payload.metrics[0].value, 2);
      assert.equal(restarted.sessionEstablished()[0].payload.metrics[0].value, 2, "the NBIRTH carries the Will's bdSeq");
      assert.equal(restarted.deathForClose().payload.metrics[0].value, 2);
      saved = 255;
      assert.equal(new EdgeNodeLogic({ groupId: "G", edgeNodeId: "E", bufferSize: 10, bdSeqStore: store }).will().payload.metrics[0].value, 0, "wraps 255 → 0");
    });

    it("a command metric sent without datatype (as Sparkplug 3.0 recommends) is typed from the birth", () => {
      const logic = edge();
      logic.update([{ deviceId: "W", name: "CHOKE_SP", value: 30, t: T }]);
      logic.will();
      const births = logic.sessionEstablished();
      const alias = births[1].payload.metrics[0].alias;
      const dcmd = decodeSparkplug(encodeRaw({ timestamp: T, metrics: [{ alias: alias ?? -1, doubleValue: 45 }, { alias: alias ?? -1, stringValue: "x" }] }));
      const outcome = logic.command("DCMD", "W", dcmd);
      assert.deepEqual(outcome.writes, [{ deviceId: "W", name: "CHOKE_SP", value: 45 }]);
      assert.equal(outcome.rejected.length, 1);
      assert.match(outcome.rejected[0], /CHOKE_SP.*Double.*string_value/);
    });

    it("buffers while disconnected and replays in order as historical after the births", () => {
      const logic = edge(undefined, 3);
      logic.update([{ deviceId: "W", name: "THP", value: 1, t: T }]);
      logic.will();
      logic.sessionEstablished();
      logic.sessionLost();
      for (let i = 2; i <= 6; i++) logic.update([{ deviceId: "W", name: "THP", value: i, t: T + i }]);
      assert.equal(logic.buffered, 3);
      assert.equal(logic.dropped, 2);
      logic.will();
      const out = logic.sessionEstablished();
      assert.deepEqual(types(out), ["NBIRTH", "DBIRTH", "DDATA"]);
      assert.deepEqual(out[2].payload.metrics.map((m) => [m.value, m.isHistorical]), [[4, true], [5, true], [6, true]]);
      assert.equal(out[2].payload.seq, 2);
    });

    it("with a primary host: no births until it is online, buffers while it is offline, ignores stale STATE", () => {
      const logic = edge("SCADA");
      logic.update([{ deviceId: "W", name: "THP", value: 1, t: T }]);
      logic.will();
      assert.deepEqual(logic.sessionEstablished(), []);
      assert.deepEqual(types(logic.hostState({ online: true, timestamp: 10 })), ["NBIRTH", "DBIRTH"]);
      assert.deepEqual(logic.hostState({ online: false, timestamp: 20 }), []);
      assert.deepEqual(logic.update([{ deviceId: "W", name: "THP", value: 2, t: T + 1 }]), []);
      assert.deepEqual(logic.hostState({ online: true, timestamp: 15 }), [], "stale online STATE ignored");
      const back = logic.hostState({ online: true, timestamp: 30 });
      assert.deepEqual(types(back), ["NBIRTH", "DBIRTH", "DDATA"]);
      assert.equal(back[2].payload.metrics[0].isHistorical, true);
    });

    it("commands: rebirth on NCMD Node Control/Rebirth, writes by name or alias, unknown metrics rejected", () => {
      const logic = edge();
      logic.update([{ deviceId: "W", name: "CHOKE_SP", value: 30, t: T }]);
      logic.will();
      const births = logic.sessionEstablished();
      const alias = births[1].payload.metrics[0].alias;
      const rebirth = logic.command("NCMD", null, { metrics: [{ name: "Node Control/Rebirth", type: "Boolean", value: true }] });
      assert.deepEqual(types(rebirth.publications), ["NBIRTH", "DBIRTH"]);
      assert.equal(rebirth.publications[0].payload.metrics[0].value, 0, "same session, same bdSeq");
      const byAlias = logic.command("DCMD", "W", { metrics: [{ alias, type: "Double", value: 45 }, { name: "NOPE", type: "Double", value: 1 }, { alias: 99, type: "Double", value: 1 }] });
      assert.deepEqual(byAlias.writes, [{ deviceId: "W", name: "CHOKE_SP", value: 45 }]);
      assert.deepEqual(byAlias.rejected, ["NOPE", "alias 99"]);
    });
  });

  describe("host application", () => {
    function bornHost(): { host: HostLogic; births: Publication[]; logic: EdgeNodeLogic } {
      const host = new HostLogic({ siteId: "SITE1" });
      const logic = edge();
      logic.update([{ deviceId: "WELL-1", name: "Pump/Speed", value: 50, t: T }, { deviceId: null, name: "Uptime", value: 1, t: T }]);
      logic.will();
      const births = logic.sessionEstablished();
      for (const birth of births) host.handle(topic(birth.topic), roundTrip(birth.payload), T);
      return { host, births, logic };
    }

    it("knows where a setpoint write to a tag goes: the edge node, device and the metric's own name (not the tag's)", () => {
      const { host, births } = bornHost();
      const { groupId } = topic(births[1].topic);
      assert.deepEqual(host.commandTargetOf("SITE1/WELL-1/Pump_Speed"), { groupId, edgeNodeId: "E", deviceId: "WELL-1", name: "Pump/Speed" });
      assert.deepEqual(host.commandTargetOf("SITE1/E/Uptime"), { groupId, edgeNodeId: "E", deviceId: null, name: "Uptime" });
      assert.equal(host.commandTargetOf("SITE1/WELL-9/Pump_Speed"), undefined);
    });

    it("maps births and data (by alias) to tag writes, skipping bdSeq and Node Control", () => {
      const host = new HostLogic({ siteId: "SITE1" });
      const logic = edge();
      logic.update([{ deviceId: "WELL-1", name: "Pump/Speed", value: 50, t: T }, { deviceId: null, name: "Uptime", value: 1, t: T }]);
      logic.will();
      const births = logic.sessionEstablished();
      const nbirth = host.handle(topic(births[0].topic), roundTrip(births[0].payload), T);
      assert.deepEqual(nbirth.writes, [{ path: "SITE1/E/Uptime", value: { v: 1, q: "good", t: T } }]);
      const dbirth = host.handle(topic(births[1].topic), roundTrip(births[1].payload), T);
      assert.deepEqual(dbirth.writes.map((w) => w.path), ["SITE1/WELL-1/Pump_Speed"]);
      const [ddata] = logic.update([{ deviceId: "WELL-1", name: "Pump/Speed", value: 51, t: T + 5, quality: 0 }]);
      const outcome = host.handle(topic(ddata.topic), roundTrip(ddata.payload), T + 5);
      assert.deepEqual(outcome.writes, [{ path: "SITE1/WELL-1/Pump_Speed", value: { v: 51, q: "bad", t: T + 5, reason: "Sparkplug quality 0" } }]);
      assert.equal(outcome.rebirth, undefined);
    });

    it("values another encoder wrote: signed two's complement, UInt32 in either field, DATA without datatype, undecodable → bad with the reason", () => {
      const host = new HostLogic({ siteId: "SITE1" });
      const nbirth = encodeRaw({
        timestamp: T,
        seq: 0,
        metrics: [
          { name: "bdSeq", datatype: DATATYPE.Int64, longValue: 3, timestamp: T },
          { name: "Node Control/Rebirth", datatype: DATATYPE.Boolean, booleanValue: false, timestamp: T },
          { name: "Counter", alias: 1, datatype: DATATYPE.Int64, longValue: "-9876543210", timestamp: T },
          { name: "Flags", alias: 2, datatype: DATATYPE.UInt32, intValue: 4000000000, timestamp: T },
          { name: "Offset", alias: 3, datatype: DATATYPE.Int8, intValue: 0xfffffffb, timestamp: T },
          { name: "Broken", alias: 4, datatype: DATATYPE.Int16, intValue: 0x7ffff, timestamp: T },
          { name: "Stale", alias: 5, datatype: DATATYPE.Double, doubleValue: 2, timestamp: T, properties: { keys: ["Quality"], values: [{ type: DATATYPE.Int32, intValue: 500 }] } },
        ],
      });
      const born = host.handle(topic("spBv1.0/G/NBIRTH/X"), decodeSparkplug(nbirth), T);
      assert.deepEqual(born.writes, [
        { path: "SITE1/X/Counter", value: { v: -9876543210, q: "good", t: T } },
        { path: "SITE1/X/Flags", value: { v: 4000000000, q: "good", t: T } },
        { path: "SITE1/X/Offset", value: { v: -5, q: "good", t: T } },
        { path: "SITE1/X/Stale", value: { v: 2, q: "uncertain", t: T, reason: "Sparkplug quality 500 (stale)" } },
      ]);
      assert.equal(born.undecodable?.length, 1);
      assert.equal(born.undecodable?.[0].path, "SITE1/X/Broken");
      assert.match(born.undecodable?.[0].reason ?? "", /Int16.*524287/);
      assert.deepEqual(born.metrics.find((m) => m.name === "Broken"), { name: "Broken", path: "SITE1/X/Broken", value: null, t: T, historical: false, invalid: born.undecodable?.[0].reason });
      const ndata = encodeRaw({
        timestamp: T + 1,
        seq: 1,
        metrics: [
          { alias: 1, longValue: "-5", timestamp: T + 1 },
          { alias: 2, longValue: 4000000001, timestamp: T + 1 },
          { alias: 3, stringValue: "oops", timestamp: T + 1 },
        ],
      });
      const data = host.handle(topic("spBv1.0/G/NDATA/X"), decodeSparkplug(ndata), T + 1);
      assert.deepEqual(data.writes, [
        { path: "SITE1/X/Counter", value: { v: -5, q: "good", t: T + 1 } },
        { path: "SITE1/X/Flags", value: { v: 4000000001, q: "good", t: T + 1 } },
      ]);
      assert.deepEqual(data.undecodable?.map((u) => [u.path, u.t]), [["SITE1/X/Offset", T + 1]]);
      assert.match(data.undecodable?.[0].reason ?? "", /Offset.*Int8.*string_value/);
      assert.equal(data.rebirth, undefined);
    });

    it("a UInt64 beyond 2^53 is written rounded, uncertain, with the exact value in the reason and the output", () => {
      const host = new HostLogic({ siteId: "SITE1" });
      const nbirth = encodeRaw({ timestamp: T, seq: 0, metrics: [{ name: "bdSeq", datatype: DATATYPE.Int64, longValue: 0 }, { name: "Big", alias: 1, datatype: DATATYPE.UInt64, longValue: "18446744073709551615", timestamp: T }] });
      const outcome = host.handle(topic("spBv1.0/G/NBIRTH/X"), decodeSparkplug(nbirth), T);
      assert.deepEqual(outcome.writes, [
        { path: "SITE1/X/Big", value: { v: 2 ** 64, q: "uncertain", t: T, reason: "UInt64 value 18446744073709551615 is beyond ±2^53 and was rounded to 18446744073709552000" } },
      ]);
      assert.equal(outcome.metrics[0].exact, "18446744073709551615");
    });

    it("asks for a rebirth on a seq gap, once per holdoff, again after a new NBIRTH", () => {
      const { host, logic } = bornHost();
      const [first] = logic.update([{ deviceId: "WELL-1", name: "Pump/Speed", value: 1, t: T }]);
      host.handle(topic(first.topic), roundTrip(first.payload), T);
      logic.update([{ deviceId: "WELL-1", name: "Pump/Speed", value: 2, t: T }]);
      const [third] = logic.update([{ deviceId: "WELL-1", name: "Pump/Speed", value: 3, t: T }]);
      const gap = host.handle(topic(third.topic), roundTrip(third.payload), T);
      assert.match(gap.rebirth?.reason ?? "", /seq gap: expected 3, got 4/);
      assert.equal(gap.rebirth?.topic, "spBv1.0/G/NCMD/E");
      assert.deepEqual(gap.rebirth?.payload.metrics, [{ name: "Node Control/Rebirth", type: "Boolean", value: true }]);
      assert.deepEqual(gap.writes.map((w) => w.value.v), [3], "the values still count");
      const [late] = logic.update([{ deviceId: "WELL-1", name: "Pump/Speed", value: 9, t: T }]);
      assert.equal(host.handle(topic(late.topic), roundTrip({ ...late.payload, seq: 200 }), T + 1000).rebirth, undefined, "held off");
      for (const birth of logic.births()) host.handle(topic(birth.topic), roundTrip(birth.payload), T + 2000);
      assert.ok(host.handle(topic(late.topic), roundTrip({ ...late.payload, seq: 100 }), T + 2001).rebirth, "a new session may ask again");
    });

    it("asks for a rebirth on an unknown alias and on data before NBIRTH", () => {
      const { host } = bornHost();
      const unknown = host.handle(topic("spBv1.0/G/DDATA/E/WELL-1"), { seq: 2, metrics: [{ alias: 777, type: "Double", value: 1 }] }, T);
      assert.match(unknown.rebirth?.reason ?? "", /unknown alias 777/);
      const stranger = new HostLogic({ siteId: "SITE1" }).handle(topic("spBv1.0/G/NDATA/X"), { seq: 5, metrics: [] }, T);
      assert.match(stranger.rebirth?.reason ?? "", /before any NBIRTH/);
      assert.equal(stranger.rebirth?.topic, "spBv1.0/G/NCMD/X");
    });

    it("marks tags bad on NDEATH with the session's bdSeq, ignores a stale NDEATH, handles DDEATH", () => {
      const { host, logic } = bornHost();
      assert.equal(host.handle(topic("spBv1.0/G/NDEATH/E"), { metrics: [{ name: "bdSeq", type: "Int64", value: 7 }] }, T).bad, undefined);
      const [ddeath] = [{ topic: "spBv1.0/G/DDEATH/E/WELL-1", payload: { seq: 2, metrics: [] } }];
      assert.deepEqual(host.handle(topic(ddeath.topic), ddeath.payload, T).bad?.paths, ["SITE1/WELL-1/Pump_Speed"]);
      const death = host.handle(topic("spBv1.0/G/NDEATH/E"), roundTrip(logic.deathForClose().payload), T);
      assert.deepEqual(death.bad?.paths.sort(), ["SITE1/E/Uptime", "SITE1/WELL-1/Pump_Speed"]);
      assert.match(death.bad?.reason ?? "", /NDEATH.*bdSeq 0/);
    });

    it("does not let a historical value overwrite a newer live one", () => {
      const host = new HostLogic({ siteId: "SITE1", currentTime: () => T + 100 });
      host.handle(topic("spBv1.0/G/NBIRTH/E"), { seq: 0, metrics: [{ name: "bdSeq", type: "Int64", value: 0 }, { name: "P", alias: 2, type: "Double", value: 1, timestamp: T + 100 }] }, T);
      const outcome = host.handle(topic("spBv1.0/G/NDATA/E"), { seq: 1, metrics: [{ alias: 2, type: "Double", value: 0.5, timestamp: T, isHistorical: true }] }, T);
      assert.deepEqual(outcome.writes, []);
      assert.deepEqual(outcome.metrics, [{ name: "P", path: "SITE1/E/P", value: 0.5, t: T, historical: true }]);
    });

    it("builds STATE messages and commands by name with the born types", () => {
      const state = hostStateMessage("SCADA", true, 123);
      assert.equal(state.topic, "spBv1.0/STATE/SCADA");
      assert.deepEqual(parseHostState(state.payload), { online: true, timestamp: 123 });
      assert.equal(parseHostState(Buffer.from("OFFLINE")), null);
      const request = parseHostCommand({ groupId: "G", edgeNodeId: "E", deviceId: "W", metrics: { SP: 40 } });
      const command = hostCommand(request, () => "Double", T);
      assert.equal(command.topic, "spBv1.0/G/DCMD/E/W");
      assert.deepEqual(command.payload.metrics, [{ name: "SP", type: "Double", value: 40, timestamp: T }]);
      assert.throws(() => hostCommand(request, () => undefined, T), /not in the birth/);
      assert.throws(() => parseHostCommand({ groupId: "G/1", edgeNodeId: "E", metrics: { a: 1 } }), /invalid Sparkplug group id/);
      assert.throws(() => coerceToType("Int32", 1.5), /does not fit/);
      assert.throws(() => coerceToType("UInt8", 300), /does not fit metric type UInt8/, "a command never wraps on another vendor's edge node");
      assert.throws(() => coerceToType("UInt32", -1), /does not fit/);
      assert.throws(() => coerceToType("DataSet", 1), /does not fit/);
      assert.equal(coerceToType("Int64", -9876543210), -9876543210);
      assert.equal(coerceToType("Boolean", 1), true);
    });
  });

  describe("mapping and topics", () => {
    it("sanitises metric names into tag path levels", () => {
      assert.equal(sanitiseLevel("Pump/Speed rpm"), "Pump_Speed_rpm");
      assert.equal(sanitiseLevel("_x"), "M_x");
      assert.equal(sanitiseLevel("a".repeat(80)).length, 64);
      assert.equal(tagPathFor("S", "EDGE", null, "Node Info/Make"), "S/EDGE/Node_Info_Make");
    });

    it("parses Sparkplug topics and refuses others", () => {
      assert.deepEqual(parseTopic("spBv1.0/G/DDATA/E/D"), { kind: "edge", groupId: "G", messageType: "DDATA", edgeNodeId: "E", deviceId: "D" });
      assert.deepEqual(parseTopic("spBv1.0/STATE/H"), { kind: "state", hostId: "H" });
      assert.equal(parseTopic("spBv1.0/G/DDATA/E"), null);
      assert.equal(parseTopic("spBv1.0/G/NDATA/E/D"), null);
      assert.equal(parseTopic("other/G/NDATA/E"), null);
    });

    it("maps tag updates to metric changes and command writes back to tag paths", () => {
      const change = changeFromTag({ path: "SITE1/WELL-1/THP", value: { v: 5, q: "uncertain", t: T } }, {});
      assert.deepEqual(change, { deviceId: "WELL-1", name: "THP", value: 5, t: T, quality: 64 });
      assert.equal(changeFromTag({ path: "SITE1/RTU/UP", value: { v: 1, q: "good", t: T } }, { nodeAsset: "RTU" }).deviceId, null);
      const sites = new Map([["WELL-1", "SITE1"], ["RTU", "SITE1"]]);
      assert.equal(tagPathOfWrite({ deviceId: "WELL-1", name: "SP", value: 1 }, sites, {}), "SITE1/WELL-1/SP");
      assert.equal(tagPathOfWrite({ deviceId: null, name: "SP", value: 1 }, sites, { nodeAsset: "RTU" }), "SITE1/RTU/SP");
      assert.equal(tagPathOfWrite({ deviceId: null, name: "SP", value: 1 }, sites, {}), undefined);
    });

    it("connection state machine and its status", () => {
      assert.equal(nextConnectionState("idle", "start"), "connecting");
      assert.equal(nextConnectionState("connecting", "connack"), "connected");
      assert.equal(nextConnectionState("connected", "lost"), "reconnecting");
      assert.equal(nextConnectionState("reconnecting", "retry"), "reconnecting");
      assert.equal(nextConnectionState("closed", "connack"), "closed");
      assert.deepEqual(connectionStatus("connected"), { fill: "green", shape: "dot", text: "connected" });
      assert.equal(connectionStatus("reconnecting", "ECONNREFUSED").text, "reconnecting: ECONNREFUSED");
    });

    it("codec round-trips values, quality, historical flag and 64-bit fields as numbers", () => {
      const decoded = decodeSparkplug(encodeSparkplug({ timestamp: T, seq: 7, metrics: [{ alias: 3, type: "Int64", value: 42, timestamp: T, isHistorical: true, quality: 0 }, { name: "S", type: "String", value: null }] }));
      assert.deepEqual(decoded, { timestamp: T, seq: 7, metrics: [{ alias: 3, type: "Int64", value: 42, timestamp: T, isHistorical: true, quality: 0 }, { name: "S", type: "String", value: null }] });
    });
  });
});
