import type { NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerLazily } from "../shared/lazy-register.js";

/** Registers opcua-subscribe; the implementation (opcua-subscribe-node.ts) loads with the first node of the type. */
export = function register(RED: NodeRedRuntime): void {
  registerLazily(RED, "opcua-subscribe", () => require("./opcua-subscribe-node.js"));
};
