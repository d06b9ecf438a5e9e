import { Type } from "@sinclair/typebox";

export const RevisionSummarySchema = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  parent: Type.Union([Type.Integer(), Type.Null()]),
  sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
  author: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  deploymentType: Type.Union([Type.String(), Type.Null()]),
  nodeCount: Type.Integer(),
  createdAt: Type.String({ format: "date-time" }),
});

export const FlowNodeSchema = Type.Object(
  { id: Type.String(), type: Type.String(), z: Type.Optional(Type.String()), wires: Type.Optional(Type.Array(Type.Array(Type.String()))) },
  { additionalProperties: true },
);

export const RevisionSchema = Type.Intersect([RevisionSummarySchema, Type.Object({ flows: Type.Array(FlowNodeSchema) })]);

const NodeRef = { id: Type.String(), type: Type.String(), name: Type.String() };

export const FlowDiffSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  added: Type.Array(FlowNodeSchema),
  removed: Type.Array(FlowNodeSchema),
  changed: Type.Array(
    Type.Object({
      ...NodeRef,
      properties: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
    }),
  ),
  rewired: Type.Array(
    Type.Object({ ...NodeRef, from: Type.Array(Type.Array(Type.String())), to: Type.Array(Type.Array(Type.String())) }),
  ),
});

export const RevisionNumberParam = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

export const ImportBodySchema = Type.Object(
  {
    flows: Type.Array(Type.Unknown(), { description: "Node-RED flow JSON: an array of node objects" }),
    message: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const RollbackBodySchema = Type.Object(
  { message: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
