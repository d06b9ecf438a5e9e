/**
 * The plant as the field overview draws it: assets with their points, and
 * the process links between them (wells → manifold → separators → tanks;
 * compressor → gas-lift wells). Today the demo simulator describes it; the
 * asset registry (ERP assets module) will own it.
 */
export interface FieldPoint {
  point: string;
  unit: string;
  description: string;
  writable: boolean;
}

export interface FieldAsset {
  id: string;
  kind: "well" | "test-separator" | "production-separator" | "tank" | "compressor" | "manifold";
  liftType?: "esp" | "gas-lift" | "rod-pump";
  description: string;
  points: FieldPoint[];
}

export interface FieldLink {
  from: string;
  to: string;
  medium: "production" | "oil" | "water" | "gas";
}

export interface FieldTopology {
  assets: FieldAsset[];
  links: FieldLink[];
}

/** Holds the current topology; empty until something (the demo, later the assets module) provides one. */
export class FieldTopologyRegistry {
  private topology: FieldTopology = { assets: [], links: [] };

  set(topology: FieldTopology): void {
    this.topology = topology;
  }

  get(): FieldTopology {
    return this.topology;
  }
}
