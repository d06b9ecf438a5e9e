import {
  ClientMonitoredItemGroup,
  StatusCodes,
  TimestampsToReturn,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type MonitoringParametersOptions,
  type StatusCode,
} from "node-opcua";
import { tagValueOf } from "./data-value.js";
import type { OpcUaItem } from "./items.js";
import { batches, itemsToMonitor, monitoringParameters, refusalReason, subscriptionParameters, type MonitoringConfig } from "./monitoring.js";

export type MappedValue = ReturnType<typeof tagValueOf>;

function created(group: ClientMonitoredItemGroup): Promise<void> {
  return new Promise((resolve, reject) => {
    group.once("initialized", () => resolve());
    group.once("err", (message: string) => reject(new Error(`CreateMonitoredItems failed: ${message}`)));
  });
}

export interface Refusal {
  item: OpcUaItem;
  reason: string;
}

/**
 * One OPC UA subscription over a list of items, created in batches (one
 * CreateMonitoredItems call per batch). Every notification, and every item the
 * server refused, reaches onValue already mapped to `{ v, q, t, reason }`.
 *
 * A deadband is a filter on numbers: servers refuse it on Booleans and strings
 * (BadFilterNotAllowed), so those items are created again without it and
 * report every change. Other refusals (a percent deadband on a variable
 * without EURange: BadMonitoredItemFilterUnsupported) stay refused, with the reason.
 */
export class ItemSubscription {
  private subscription: ClientSubscription | null = null;
  private stopped = false;
  /** The items the server refused in start(), with why. */
  readonly refusals: Refusal[] = [];

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
      let refused = await this.monitor(subscription, batch, parameters);
      const notNumeric = parameters.filter ? refused.filter(({ statusCode }) => statusCode.equals(StatusCodes.BadFilterNotAllowed)) : [];
      if (notNumeric.length > 0 && !this.stopped) {
        const unfiltered = monitoringParameters({ ...this.monitoring, deadband: "none" });
        const stillRefused = await this.monitor(subscription, notNumeric.map(({ item }) => item), unfiltered);
        refused = [...refused.filter((refusal) => !notNumeric.includes(refusal)), ...stillRefused];
      }
      accepted += batch.length - refused.length;
      for (const { item, statusCode } of refused) {
        const reason = refusalReason(statusCode, this.monitoring.deadband);
        this.refusals.push({ item, reason });
        this.onValue(item, { v: null, q: "bad", t: Date.now(), reason });
      }
    }
    return accepted;
  }

  /** One CreateMonitoredItems call; returns the items the server refused. */
  private async monitor(
    subscription: ClientSubscription,
    items: readonly OpcUaItem[],
    parameters: MonitoringParametersOptions,
  ): Promise<{ item: OpcUaItem; statusCode: StatusCode }[]> {
    const group = ClientMonitoredItemGroup.create(subscription, itemsToMonitor(items.map((item) => item.nodeId)), parameters, TimestampsToReturn.Both);
    group.on("changed", (_monitoredItem, dataValue: DataValue, index: number) => this.onValue(items[index], tagValueOf(dataValue)));
    await created(group);
    return group.monitoredItems.flatMap((monitoredItem, index) => (monitoredItem.statusCode.isGood() ? [] : [{ item: items[index], statusCode: monitoredItem.statusCode }]));
  }

  /** Deletes the subscription on the server (when the session still lives). */
  async stop(): Promise<void> {
    this.stopped = true;
    const subscription = this.subscription;
    this.subscription = null;
    if (subscription) await subscription.terminate().catch(() => undefined);
  }
}
