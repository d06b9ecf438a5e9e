import type { IssueInput, ReceiptInput, TransferInput } from "../../../erp-modules/inventory/schema.js";
import type { DoneFunction, NodeDefinition, NodeInstance, NodeMessage, NodeRedRuntime, SendFunction } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { stockMoveInput, type StockMoveConfig } from "../shared/stock-move-input.js";

type StockMoveNodeConfig = NodeDefinition & StockMoveConfig;

/**
 * Posts msg.payload as a stock move (receipt, issue or transfer) through the
 * inventory port and sends the move on as msg.payload. The port validates
 * the fields against the move's schema (a bad one is a ServiceError naming
 * the field), so they are handed over as they are; the casts only name which
 * port method the move type selects.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "erp-stock-move", function (this: NodeInstance, config: StockMoveNodeConfig) {
    RED.nodes.createNode(this, config);
    const actor = `flow:${this.id}`;
    this.on("input", (msg: NodeMessage, send: SendFunction, done: DoneFunction) => {
      const fail = (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.status({ fill: "red", shape: "ring", text: failure.message });
        done(failure);
      };
      try {
        const inventory = petroflowServices(RED).inventory;
        if (!inventory) throw new Error("the inventory module is not available in this runtime");
        const built = stockMoveInput(config, msg);
        if ("error" in built) throw new Error(built.error);
        const { moveType, input } = built.value;
        const posted =
          moveType === "receipt"
            ? inventory.receive(input as ReceiptInput, actor)
            : moveType === "issue"
              ? inventory.issue(input as IssueInput, actor)
              : inventory.transfer(input as TransferInput, actor);
        posted.then((recorded) => {
          const move = recorded.value;
          this.status({ fill: "green", shape: recorded.replayed ? "ring" : "dot", text: `${moveType} ${move.quantity} (${move.id.slice(-8)})${recorded.replayed ? " already posted" : ""}` });
          send({ ...msg, payload: move });
          done();
        }, fail);
      } catch (error) {
        fail(error);
      }
    });
  });
};
