import type { Queryable } from "../../runtime/db/database.js";

export type LiftType = "natural_flow" | "esp" | "gas_lift" | "rod_pump";
export type WellStatus = "producing" | "shut_in" | "suspended" | "abandoned";

/** A well as other modules see it. */
export interface WellRef {
  id: string;
  /** Short code unique per site, used in tag paths: WELL-101. */
  code: string;
  name: string;
  /** API/UWI number. */
  uwi: string | null;
  liftType: LiftType;
  status: WellStatus;
  /** The asset it hangs under (a site: pad, station, battery). */
  parentId: string;
}

export interface AssetRef {
  id: string;
  kind: string;
  code: string;
  name: string;
  parentId: string | null;
  /** For kind equipment: esp | compressor | separator | tank | meter | other (production checks a tankId is a tank). */
  equipmentType?: string | null;
}

/** One entry of a well's status history. */
export interface WellStatusChange {
  wellId: string;
  status: WellStatus;
  /** ISO instant the status took effect. */
  effectiveAt: string;
}

/** A meter as production sees it: what it measures and whether it counts for allocation. */
export interface MeterRef extends AssetRef {
  /** fiscal and sales meters (and unclassified ones) measure the site's production; check meters only verify. */
  meterService: "fiscal" | "sales" | "check" | null;
  fluid: "oil" | "gas" | "water" | null;
}

/** One process connection of the plant (assets module, table asset_connections). */
export interface ConnectionRef {
  fromAssetId: string;
  fromCode: string;
  toAssetId: string;
  toCode: string;
  stream: "production" | "oil" | "gas" | "water" | "lift_gas";
}

/**
 * What the assets module offers other modules (production, maintenance...).
 * They call this, never the assets tables. `tx` lets a caller read inside its
 * own transaction.
 */
export interface AssetLookup {
  getAsset(id: string, tx?: Queryable): Promise<AssetRef | null>;
  getWell(id: string, tx?: Queryable): Promise<WellRef | null>;
  /** Wells anywhere below an asset (a field or a site), ordered by code. */
  wellsUnder(assetId: string, tx?: Queryable): Promise<WellRef[]>;
  /** Tanks anywhere below an asset, ordered by code. */
  tanksUnder(assetId: string, tx?: Queryable): Promise<AssetRef[]>;
  /** Meters anywhere below an asset, ordered by code. */
  metersUnder(assetId: string, tx?: Queryable): Promise<MeterRef[]>;
  /** The status histories of these wells (from registration on), oldest first per well. */
  wellStatusChanges(wellIds: readonly string[], tx?: Queryable): Promise<WellStatusChange[]>;
  /**
   * Gauge level to volume by the tank's strapping table (linear between
   * points). ServiceError invalid_input when the tank has no table or the level
   * is outside it; not_found when the id is not a tank.
   */
  tankVolumeM3(tankId: string, levelM: number, tx?: Queryable): Promise<number>;
  /** This installation's process connections; optional so a lookup without a plant model (a test's fake) need not offer it. */
  listConnections?(tx?: Queryable): Promise<ConnectionRef[]>;
}
