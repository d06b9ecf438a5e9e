import type { NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerLazily } from "../shared/lazy-register.js";

/** Registers opcua-endpoint; the implementation (opcua-endpoint-node.ts) loads with the first node of the type. */
export = function register(RED: NodeRedRuntime): void {
  registerLazily(RED, "opcua-endpoint", () => require("./opcua-endpoint-node.js"), { credentials: { username: { type: "text" }, password: { type: "password" } } });
};
