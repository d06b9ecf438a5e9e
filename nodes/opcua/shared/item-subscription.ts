import { ClientMonitoredItemGroup, TimestampsToReturn, type ClientSession, type ClientSubscription, type DataValue } from "node-opcua";
import { describeStatus, tagValueOf } from "./data-value.js";
import type { OpcUaItem } from "./items.js";
import { batches, itemsToMonitor, monitoringParameters, subscriptionParameters, type MonitoringConfig } from "./monitoring.js";

export type MappedValue = ReturnType<typeof tagValueOf>;

function created(group: ClientMonitoredItemGroup): Promise<void> {
  return new Promise((resolve, reject) => {
    group.once("initialized", () => resolve());
    group.once("err", (message: string) => reject(new Error(`CreateMonitoredItems failed: ${message}`)));
  });
}

/**
 * One OPC UA subscription over a list of items, created in batches (one
 * CreateMonitoredItems call per batch). Every notification, and every item the
 * server refused, reaches onValue already mapped to `{ v, q, t, reason }`.
 */
export class ItemSubscription {
  private subscription: ClientSubscription | null = null;
  private stopped = false;

  constructor(
    private readonly items: readonly OpcUaItem[],
    private readonly monitoring: MonitoringConfig,
    private readonly onValue: (item: OpcUaItem, value: MappedValue) => void,
  ) {}

  /** Creates the subscription and its monitored items; returns how many the server accepted. */
  async start(session: ClientSession): Promise<number> {
    const subscription = await session.createSubscription2(subscriptionParameters(this.monitoring));
    this.subscription = subscription;
    const parameters = monitoringParameters(this.monitoring);
    let accepted = 0;
    for (const batch of batches(this.items, this.monitoring.batchSize)) {
      if (this.stopped) break;
      const group = ClientMonitoredItemGroup.create(subscription, itemsToMonitor(batch.map((item) => item.nodeId)), parameters, TimestampsToReturn.Both);
      group.on("changed", (_monitoredItem, dataValue: DataValue, index: number) => this.onValue(batch[index], tagValueOf(dataValue)));
      await created(group);
      group.monitoredItems.forEach((monitoredItem, index) => {
        if (monitoredItem.statusCode.isGood()) {
          accepted++;
        } else {
          this.onValue(batch[index], { v: null, q: "bad", t: Date.now(), reason: `OPC UA monitored item refused: ${describeStatus(monitoredItem.statusCode)}` });
        }
      });
    }
    return accepted;
  }

  /** Deletes the subscription on the server (when the session still lives). */
  async stop(): Promise<void> {
    this.stopped = true;
    const subscription = this.subscription;
    this.subscription = null;
    if (subscription) await subscription.terminate().catch(() => undefined);
  }
}
