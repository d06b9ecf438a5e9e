import { createSubscription } from "./subscription-creations.js";
import {
  AttributeIds,
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
 * It lives as long as its session: node-opcua carries both through a broken
 * link (see opcua-connection.ts), after which resume() brings back the
 * items that did not change.
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
  /** The last value delivered per item. */
  private readonly lastDelivered = new Map<OpcUaItem, MappedValue>();
  /** Items whose tags were marked bad since their last value (the link broke): their next value goes out even if it is the same sample. */
  private readonly stale = new Set<OpcUaItem>();
  private session: ClientSession | null = null;

  constructor(
    private readonly items: readonly OpcUaItem[],
    private readonly monitoring: MonitoringConfig,
    private readonly onValue: (item: OpcUaItem, value: MappedValue) => void,
  ) {}

  /** Whether this subscription lives in that session (node-opcua keeps the session object through a repair). */
  belongsTo(session: ClientSession): boolean {
    return this.session === session;
  }

  /** Creates the subscription and its monitored items; returns how many the server accepted. */
  async start(session: ClientSession): Promise<number> {
    this.session = session;
    const subscription = await createSubscription(session, subscriptionParameters(this.monitoring));
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
        this.deliver(item, { v: null, q: "bad", t: Date.now(), reason });
      }
    }
    return accepted;
  }

  /** The link broke: the tags of every item are being marked bad. */
  interrupted(): void {
    for (const item of this.items) this.stale.add(item);
  }

  /**
   * The connection came back with this subscription repaired in place. What
   * the server queued during the outage comes with the next publish; an item
   * it brings nothing for did not change, but its tag was marked bad while
   * the link was down: once that publish is in (or two publishing intervals
   * passed), such items are read once and delivered again, unless a
   * notification came for them meanwhile.
   */
  async resume(): Promise<void> {
    const { subscription, session } = this;
    if (!subscription || !session || this.stopped) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        subscription.off("received_notifications", done);
        subscription.off("keepalive", done);
        // The notification's values reach the monitored items after this event: let them through first.
        setImmediate(resolve);
      };
      const timer = setTimeout(done, 2 * Math.max(subscription.publishingInterval, this.monitoring.publishingIntervalMs) + 500);
      subscription.once("received_notifications", done);
      subscription.once("keepalive", done);
    });
    const refused = new Map(this.refusals.map(({ item, reason }) => [item, reason]));
    for (const [item, reason] of refused) if (this.stale.has(item)) this.deliver(item, { v: null, q: "bad", t: Date.now(), reason });
    const quiet = this.items.filter((item) => this.stale.has(item) && !refused.has(item));
    for (const batch of batches(quiet, this.monitoring.batchSize)) {
      if (this.stopped) return;
      const values = await session.read(batch.map((item) => ({ nodeId: item.nodeId, attributeId: AttributeIds.Value })));
      values.forEach((dataValue, index) => {
        const item = batch[index];
        // A notification that came while reading is newer than the value read.
        if (!this.stopped && this.stale.has(item)) this.deliver(item, tagValueOf(dataValue));
      });
    }
  }

  /**
   * Hands a value on. A sample already delivered (same value, quality and
   * source time: a server resends the current values of a session it moved
   * to a new channel) is not delivered twice, unless its tag was marked bad
   * meanwhile.
   */
  private deliver(item: OpcUaItem, value: MappedValue): void {
    const last = this.lastDelivered.get(item);
    const wasStale = this.stale.delete(item);
    if (!wasStale && last && last.t === value.t && last.q === value.q && Object.is(last.v, value.v) && last.reason === value.reason) return;
    this.lastDelivered.set(item, value);
    this.onValue(item, value);
  }

  /** One CreateMonitoredItems call; returns the items the server refused. */
  private async monitor(
    subscription: ClientSubscription,
    items: readonly OpcUaItem[],
    parameters: MonitoringParametersOptions,
  ): Promise<{ item: OpcUaItem; statusCode: StatusCode }[]> {
    const group = ClientMonitoredItemGroup.create(subscription, itemsToMonitor(items.map((item) => item.nodeId)), parameters, TimestampsToReturn.Both);
    group.on("changed", (_monitoredItem, dataValue: DataValue, index: number) => this.deliver(items[index], tagValueOf(dataValue)));
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
