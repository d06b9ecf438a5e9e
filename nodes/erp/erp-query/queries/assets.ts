import { Type } from "@sinclair/typebox";
import { AssetListQuerySchema, AssetPageSchema, AssetSchema } from "../../../../erp-modules/assets/schema.js";
import { invalidInput, ServiceError } from "../../../../erp-modules/shared/service-error.js";
import { defineQuery, queryParams, type ErpQuery } from "../erp-query-definition.js";

const Uuid = Type.String({ format: "uuid" });

export const assetQueries: readonly ErpQuery[] = [
  defineQuery({
    name: "assets.list",
    module: "assets",
    description: "Assets of the register, filtered by kind, parent, status, lift type or a search on code, name or UWI; a page of them.",
    params: AssetListQuerySchema,
    result: AssetPageSchema,
    run: (reads, params) => reads.assets.list(params),
  }),
  defineQuery({
    name: "assets.asset",
    module: "assets",
    description: "One asset by id, with its tag links.",
    params: queryParams({ assetId: Uuid }),
    result: AssetSchema,
    run: (reads, { assetId }) => reads.assets.get(assetId),
  }),
  defineQuery({
    name: "assets.by-code",
    module: "assets",
    description: "One asset by its register code (TK-01, WELL-101).",
    params: queryParams({ code: Type.String({ minLength: 1, maxLength: 100 }) }),
    result: AssetSchema,
    async run(reads, { code }) {
      const asset = await reads.assets.findByCode(code);
      if (!asset) throw new ServiceError("not_found", `no asset with code "${code}" in the asset register`);
      return asset;
    },
  }),
  defineQuery({
    name: "assets.by-tag",
    module: "assets",
    description: "The assets a tag path is linked to (SITE1/WELL-101/THP), ordered by code; none when it is linked to none.",
    params: queryParams({ tagPath: Type.String({ minLength: 1, maxLength: 200 }) }),
    result: Type.Array(AssetSchema),
    run: (reads, { tagPath }) => reads.assets.findByTag(tagPath),
  }),
  defineQuery({
    name: "assets.well",
    module: "assets",
    description: "One well by id, with its status history; another kind of asset is refused.",
    params: queryParams({ wellId: Uuid }),
    result: AssetSchema,
    async run(reads, { wellId }) {
      const asset = await reads.assets.get(wellId);
      if (asset.kind !== "well") throw invalidInput("wellId", "not_a_well", undefined, `wellId: asset ${asset.code} is not a well (kind ${asset.kind})`);
      return asset;
    },
  }),
];
