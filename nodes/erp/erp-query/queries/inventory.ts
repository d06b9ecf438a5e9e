import { Type } from "@sinclair/typebox";
import { AvailabilitySchema, ItemSchema, ReorderPointSchema, StockBalanceSchema, StockQuerySchema } from "../../../../erp-modules/inventory/schema.js";
import { defineQuery, queryParams, type ErpQuery } from "../erp-query-definition.js";

const Uuid = Type.String({ format: "uuid" });

export const inventoryQueries: readonly ErpQuery[] = [
  defineQuery({
    name: "inventory.item",
    module: "inventory",
    description: "One item of the catalogue: unit, conversions, tracking, owner.",
    params: queryParams({ itemId: Uuid }),
    result: ItemSchema,
    run: (reads, { itemId }) => reads.inventory.getItem(itemId),
  }),
  defineQuery({
    name: "inventory.on-hand",
    module: "inventory",
    description: "On hand, reserved and available per item, location and lot; of one item, one location, or all.",
    params: StockQuerySchema,
    result: Type.Array(StockBalanceSchema),
    run: (reads, params) => reads.inventory.onHand(params),
  }),
  defineQuery({
    name: "inventory.availability",
    module: "inventory",
    description: "An item's on hand, reserved and available quantity at one internal location, or across all of them.",
    params: queryParams({ itemId: Uuid, locationId: Type.Optional(Uuid) }),
    result: AvailabilitySchema,
    run: (reads, { itemId, locationId }) => reads.inventory.availability(itemId, locationId),
  }),
  defineQuery({
    name: "inventory.below-reorder-point",
    module: "inventory",
    description: "Reorder points whose location has at most the point's quantity available now (as the reorder event judges), with that quantity; of one location, or all.",
    params: queryParams({ locationId: Type.Optional(Uuid) }),
    result: Type.Array(Type.Composite([ReorderPointSchema, Type.Object({ availableQuantity: Type.Number(), baseUnit: Type.String() })])),
    async run(reads, { locationId }) {
      const points = (await reads.inventory.listReorderPoints()).filter((point) => locationId === undefined || point.locationId === locationId);
      const below = [];
      // Judged from availability now, not the point's stored crossing flag, which only moves with stock moves.
      for (const point of points) {
        const { availableQuantity, baseUnit } = await reads.inventory.availability(point.itemId, point.locationId);
        if (availableQuantity <= point.reorderPointQuantity) below.push({ ...point, availableQuantity, baseUnit });
      }
      return below;
    },
  }),
];
