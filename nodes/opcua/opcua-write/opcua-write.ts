import type { NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerLazily } from "../shared/lazy-register.js";

/** Registers opcua-write; the implementation (opcua-write-node.ts) loads with the first node of the type. */
export = function register(RED: NodeRedRuntime): void {
  registerLazily(RED, "opcua-write", () => require("./opcua-write-node.js"));
};
