import assert from "node:assert/strict";
import { Type } from "@sinclair/typebox";
import express from "express";
import { ERROR_CODES, REASON_CODES } from "../../../../runtime/error-contract.js";
import { RouteRegistry } from "../../../../runtime/http/route-registry.js";

describe("route registry: audit rows and the error contract in the OpenAPI document", () => {
  const registry = () => new RouteRegistry(() => undefined);
  const responses = { 200: null };

  it("refuses a route that may change data without its audit rows documented", () => {
    assert.throws(
      () => registry().add(express.Router(), { method: "post", path: "/things", summary: "", tags: [], role: "engineer", schemas: { responses }, handler: async () => undefined }),
      /POST \/things changes data and must document its audit rows/,
    );
    assert.doesNotThrow(() => registry().add(express.Router(), { method: "get", path: "/things", summary: "", tags: [], role: "viewer", schemas: { responses }, handler: async () => undefined }));
  });

  it("writes the audit rows and the error codes and reasons into the document", () => {
    const routes = registry();
    const audit = { actions: ["thing.create"], rows: { 201: 1 } };
    routes.add(express.Router(), {
      method: "post",
      path: "/things",
      summary: "",
      tags: [],
      role: "engineer",
      audit,
      schemas: { body: Type.Object({ name: Type.String() }), responses: { 201: null } },
      handler: async () => undefined,
    });
    const document = routes.openApiDocument({ title: "t", version: "1" }) as {
      paths: Record<string, Record<string, { "x-petroflow-audit": unknown; responses: Record<string, { content: { "application/json": { schema: unknown } } }> }>>;
    };
    const operation = document.paths["/api/v1/things"]?.post;
    assert.deepEqual(operation?.["x-petroflow-audit"], audit);
    const error = JSON.stringify(operation?.responses["400"]?.content["application/json"].schema);
    for (const code of ERROR_CODES) assert.ok(error.includes(`"${code}"`), code);
    for (const reason of REASON_CODES) assert.ok(error.includes(`"${reason}"`), reason);
  });
});
