import { AttributeIds, DataType, type ClientSession } from "node-opcua";
import type { TagScalar } from "../../../runtime/tags/tag-types.js";
import { describeStatus } from "./data-value.js";
import { writeDataType, writeVariant } from "./write-value.js";

/**
 * A setpoint write to one OPC UA node, as opcua-write does it, with the
 * DataType the server reports for the node's current value (a tag has no
 * OPC UA type of its own), then a read of what the node now holds.
 */
export async function writeAndReadBack(session: ClientSession, nodeId: string, value: number | boolean): Promise<TagScalar> {
  const current = await session.read({ nodeId, attributeId: AttributeIds.Value });
  if (current.statusCode.isNotGood()) throw new Error(`cannot read ${nodeId} before writing it: ${describeStatus(current.statusCode)}`);
  const dataType = writeDataType(DataType[current.value.dataType]);
  const status = await session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: writeVariant(value, dataType) } });
  if (status.isNotGood()) throw new Error(`write of ${JSON.stringify(value)} to ${nodeId} refused: ${describeStatus(status)}`);
  const after = await session.read({ nodeId, attributeId: AttributeIds.Value });
  const held: unknown = after.value.value;
  return after.statusCode.isGood() && (typeof held === "number" || typeof held === "boolean") ? held : null;
}
