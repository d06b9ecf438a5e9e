import assert from "node:assert/strict";
import type { Connection } from "../../../../../../editor/src/api/assets";
import { CONNECTION_STREAMS } from "../../../../../../editor/src/api/assets";
import { connectionFrom, splitConnections } from "../../../../../../editor/src/modules/assets/connections";
import * as server from "../../../../../../erp-modules/assets/schema";

const WELL = "00000000-0000-4000-8000-000000000001";
const FLOWLINE = "00000000-0000-4000-8000-000000000002";
const COMP = "00000000-0000-4000-8000-000000000003";
const connection = (id: string, from: [string, string], to: [string, string], stream: Connection["stream"]): Connection => ({
  id,
  fromAssetId: from[0],
  fromCode: from[1],
  toAssetId: to[0],
  toCode: to[1],
  stream,
  createdAt: "2026-12-07T00:00:00.000Z",
  createdBy: "eng",
});
const existing = [
  connection("c1", [WELL, "WELL-1"], [FLOWLINE, "FL-1"], "production"),
  connection("c2", [COMP, "COMP"], [WELL, "WELL-1"], "lift_gas"),
];

describe("web app: an asset's connections", () => {
  it("offers the server's streams", () => {
    assert.deepEqual(CONNECTION_STREAMS, server.CONNECTION_STREAMS);
  });

  it("splits them into what flows in and what flows out", () => {
    const { upstream, downstream } = splitConnections(WELL, existing);
    assert.deepEqual(upstream.map((c) => c.id), ["c2"]);
    assert.deepEqual(downstream.map((c) => c.id), ["c1"]);
  });

  it("builds the request in the direction picked", () => {
    assert.deepEqual(connectionFrom(WELL, { direction: "upstream", otherAssetId: FLOWLINE, stream: "water" }, existing), {
      body: { fromAssetId: FLOWLINE, toAssetId: WELL, stream: "water" },
    });
    assert.deepEqual(connectionFrom(FLOWLINE, { direction: "downstream", otherAssetId: COMP, stream: "gas" }, existing), {
      body: { fromAssetId: FLOWLINE, toAssetId: COMP, stream: "gas" },
    });
  });

  it("asks for an asset and a stream, refuses the asset itself and a connection that exists", () => {
    assert.deepEqual(connectionFrom(WELL, { direction: "downstream", otherAssetId: "", stream: "" }, existing), {
      errors: { otherAssetId: "required", stream: "required" },
    });
    assert.deepEqual(connectionFrom(WELL, { direction: "downstream", otherAssetId: WELL, stream: "oil" }, existing), {
      errors: { otherAssetId: "self" },
    });
    assert.deepEqual(connectionFrom(WELL, { direction: "downstream", otherAssetId: FLOWLINE, stream: "production" }, existing), {
      errors: { otherAssetId: "duplicate" },
    });
  });
});
