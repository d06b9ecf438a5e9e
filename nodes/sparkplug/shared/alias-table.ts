/**
 * Metric aliases. The edge node gives each (device, metric) a number once and
 * keeps it across rebirths; the host learns them from births and resolves
 * the alias-only metrics of NDATA/DDATA.
 */
function key(deviceId: string | null, name: string): string {
  return deviceId === null ? `\u0000${name}` : `${deviceId}\u0000${name}`;
}

export class EdgeAliasTable {
  private readonly aliases = new Map<string, number>();
  private readonly byAlias = new Map<number, { deviceId: string | null; name: string }>();

  /** The metric's alias, assigning the next free number on first use. */
  aliasOf(deviceId: string | null, name: string): number {
    const k = key(deviceId, name);
    let alias = this.aliases.get(k);
    if (alias === undefined) {
      alias = this.aliases.size;
      this.aliases.set(k, alias);
      this.byAlias.set(alias, { deviceId, name });
    }
    return alias;
  }

  /** The metric an incoming command names by alias, if this edge node assigned it to that device. */
  resolve(deviceId: string | null, alias: number): string | undefined {
    const entry = this.byAlias.get(alias);
    return entry && entry.deviceId === deviceId ? entry.name : undefined;
  }
}

export interface KnownMetric {
  name: string;
  type: string;
}

/** What a host knows of one edge node's metrics (node level and every device), rebuilt at each NBIRTH. */
export class HostAliasTable {
  private readonly byAlias = new Map<string, KnownMetric>();
  private readonly byName = new Map<string, KnownMetric>();

  static aliasKey(deviceId: string | null, alias: number): string {
    return deviceId === null ? `\u0000${alias}` : `${deviceId}\u0000${alias}`;
  }

  learn(deviceId: string | null, metric: { name: string; alias?: number; type: string }): void {
    const known: KnownMetric = { name: metric.name, type: metric.type };
    if (metric.alias !== undefined) this.byAlias.set(HostAliasTable.aliasKey(deviceId, metric.alias), known);
    this.byName.set(key(deviceId, metric.name), known);
  }

  resolve(deviceId: string | null, alias: number): KnownMetric | undefined {
    return this.byAlias.get(HostAliasTable.aliasKey(deviceId, alias));
  }

  byMetricName(deviceId: string | null, name: string): KnownMetric | undefined {
    return this.byName.get(key(deviceId, name));
  }

  /** Forgets one device's metrics (a new DBIRTH redefines them). */
  forgetDevice(deviceId: string): void {
    const prefix = `${deviceId}\u0000`;
    for (const k of [...this.byAlias.keys()]) if (k.startsWith(prefix)) this.byAlias.delete(k);
    for (const k of [...this.byName.keys()]) if (k.startsWith(prefix)) this.byName.delete(k);
  }
}
