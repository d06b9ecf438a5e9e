import type { NodeDefinition, NodeInstance, NodeMessage, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices, type MaintenancePort, type PetroflowServices } from "../../shared/petroflow-services.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { alarmOf, createBody, equipmentOf, holdMsOf, isActive, updateOf, type WorkOrderNodeConfig } from "./erp-work-order-logic.js";

type Config = NodeDefinition & WorkOrderNodeConfig;

function maintenanceOf(services: PetroflowServices): MaintenancePort {
  if (!services.maintenance) throw new Error("maintenance is not available in this runtime");
  return services.maintenance;
}

/**
 * Opens (action create) or moves and edits (action update) a maintenance
 * work order. A message from alarm-events opens one only when its alarm is
 * still active after the hold time (the node's, else the site's
 * maintenanceAlarmDelayMinutes): an alarm that returns before is forgotten.
 * One open order per condition: a second trigger of an open alarm or a
 * redelivered message answers the order already open.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "erp-work-order", function (this: NodeInstance, config: Config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const actor = `flow:${node.id}`;
    /** Alarms waiting out their hold, by alarm id. */
    const holds = new Map<string, NodeJS.Timeout>();

    const fail = (error: unknown, done: (error?: Error) => void): void => {
      node.status({ fill: "red", shape: "ring", text: error instanceof Error ? error.message : String(error) });
      done(error instanceof Error ? error : new Error(String(error)));
    };

    const open = async (msg: NodeMessage): Promise<NodeMessage> => {
      const services = petroflowServices(RED);
      const maintenance = maintenanceOf(services);
      const equipment = equipmentOf(config, msg);
      if ("error" in equipment) throw new Error(equipment.error);
      const equipmentId = "id" in equipment ? equipment.id : await services.assets.idByCode(equipment.code);
      if (!equipmentId) throw new Error(`no asset with code ${"code" in equipment ? equipment.code : ""}`);
      const { workOrder, created } = await maintenance.workOrders.create(createBody(config, msg, equipmentId, alarmOf(msg)), actor);
      node.status({ fill: "green", shape: "dot", text: `WO ${workOrder.number} ${created ? "opened" : "already open"}` });
      return { ...msg, payload: workOrder, created };
    };

    const update = async (msg: NodeMessage): Promise<NodeMessage> => {
      const maintenance = maintenanceOf(petroflowServices(RED));
      const input = updateOf(msg);
      if ("error" in input) throw new Error(input.error);
      let current = await maintenance.workOrders.get(input.workOrderId);
      if (Object.keys(input.fields).length > 0) current = { ...current, ...(await maintenance.workOrders.update(input.workOrderId, { ...input.fields, rowVersion: current.rowVersion }, actor)) };
      // Flows act with technician rights: approval and cancel stay with an engineer.
      const after = input.to ? await maintenance.workOrders.transition(input.workOrderId, { rowVersion: current.rowVersion, to: input.to }, actor, "operator") : current;
      node.status({ fill: "green", shape: "dot", text: `WO ${after.number} ${after.status}` });
      return { ...msg, payload: after };
    };

    node.on("input", (msg, send, done) => {
      try {
        if (config.action === "update") {
          update(msg).then((out) => {
            send(out);
            done();
          }, (error: unknown) => fail(error, done));
          return;
        }
        const alarm = alarmOf(msg);
        const hold = holdMsOf(config, petroflowServices(RED).maintenance?.alarmDelayMinutes ?? 10);
        if (typeof hold !== "number") throw new Error(hold.error);
        if (alarm && !isActive(alarm.state)) {
          // Returned (or reset) before the hold ran out: no order for it.
          clearTimeout(holds.get(alarm.id));
          holds.delete(alarm.id);
          done();
          return;
        }
        if (alarm && hold > 0) {
          if (!holds.has(alarm.id)) {
            node.status({ fill: "yellow", shape: "ring", text: `holding ${alarm.id}` });
            const timer = setTimeout(() => {
              holds.delete(alarm.id);
              const now = petroflowServices(RED).alarms?.list().find((candidate) => candidate.id === alarm.id);
              if (!now || !isActive(now.state)) return;
              open({ ...msg, alarm: now }).then(
                (out) => node.send(out),
                (error: unknown) => {
                  node.status({ fill: "red", shape: "ring", text: error instanceof Error ? error.message : String(error) });
                  node.error(error, msg);
                },
              );
            }, hold);
            holds.set(alarm.id, timer);
          }
          done();
          return;
        }
        open(msg).then((out) => {
          send(out);
          done();
        }, (error: unknown) => fail(error, done));
      } catch (error) {
        fail(error, done);
      }
    });

    node.on("close", (_removed, done) => {
      for (const timer of holds.values()) clearTimeout(timer);
      holds.clear();
      done();
    });
  });
};
