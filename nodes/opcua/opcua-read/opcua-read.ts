import type { NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerLazily } from "../shared/lazy-register.js";

/** Registers opcua-read; the implementation (opcua-read-node.ts) loads with the first node of the type. */
export = function register(RED: NodeRedRuntime): void {
  registerLazily(RED, "opcua-read", () => require("./opcua-read-node.js"));
};
