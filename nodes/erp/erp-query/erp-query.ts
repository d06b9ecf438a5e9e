import type { DoneFunction, NodeDefinition, NodeInstance, NodeMessage, SendFunction } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import type { NodeRedAdminRuntime } from "../shared/asset-choices-endpoint.js";
import { QUERY_CATALOGUE_PATH, catalogueForEditor } from "./erp-query-catalogue.js";
import { resolveQuery, type ErpQueryConfig } from "./erp-query-params.js";

type ErpQueryNodeConfig = NodeDefinition & ErpQueryConfig;

/** The admin app of one Node-RED start (a new one per test load) gets the catalogue endpoint once. */
const registeredOn = new WeakSet<object>();

/** `GET <httpAdminRoot>/petroflow/erp/queries`: the catalogue the editor builds its form from (names, params and result schemas). */
function registerCatalogueEndpoint(RED: NodeRedAdminRuntime): void {
  if (registeredOn.has(RED.httpAdmin)) return;
  registeredOn.add(RED.httpAdmin);
  const catalogue = catalogueForEditor();
  RED.httpAdmin.get(QUERY_CATALOGUE_PATH, RED.auth.needsPermission("erp-query.read"), (_req, res) => res.json(catalogue));
}

/**
 * Runs one read of the erp-query catalogue with parameters from the node's
 * config and msg.payload, and sends its answer as msg.payload with msg.query
 * naming what ran. Reads only: the node sees ErpReads, which holds no write.
 */
export = function register(RED: NodeRedAdminRuntime): void {
  registerCatalogueEndpoint(RED);
  registerPetroflowType(RED, "erp-query", function (this: NodeInstance, config: ErpQueryNodeConfig) {
    RED.nodes.createNode(this, config);
    this.on("input", (msg: NodeMessage, send: SendFunction, done: DoneFunction) => {
      const fail = (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.status({ fill: "red", shape: "ring", text: failure.message });
        done(failure);
      };
      try {
        const reads = petroflowServices(RED).erpReads;
        if (!reads) throw new Error("the ERP modules are not available to flows in this runtime");
        const resolved = resolveQuery(config, msg.payload);
        if ("error" in resolved) throw resolved.error;
        const { query, params } = resolved.value;
        query.run(reads, params).then((result) => {
          const count = Array.isArray(result) ? ` (${result.length})` : result === null ? " (none)" : "";
          this.status({ fill: "green", shape: "dot", text: `${query.name}${count}` });
          send({ ...msg, payload: result, query: { name: query.name, params } });
          done();
        }, fail);
      } catch (error) {
        fail(error);
      }
    });
  });
};
