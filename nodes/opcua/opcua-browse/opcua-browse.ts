import type { NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerLazily } from "../shared/lazy-register.js";

/** Registers opcua-browse; the implementation (opcua-browse-node.ts) loads with the first node of the type. */
export = function register(RED: NodeRedRuntime): void {
  registerLazily(RED, "opcua-browse", () => require("./opcua-browse-node.js"));
};
