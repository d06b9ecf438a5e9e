import type { Queryable } from "../../../../runtime/db/database.js";
import { newId } from "../../../../runtime/ids.js";
import type { AlarmDefinitionInput } from "../../../../runtime/alarms/schema.js";
import type { TagRegistry } from "../../../../runtime/tags/tag-registry.js";

/**
 * Alarm definitions written straight into their table: the definitions'
 * CRUD is another part of the module; the engine only reads the table.
 */
export async function defineAlarm(
  db: Queryable,
  registry: TagRegistry,
  siteId: string,
  definition: Partial<AlarmDefinitionInput> & Pick<AlarmDefinitionInput, "tagPath">,
): Promise<string> {
  const existing = await db.query<{ id: string }>("SELECT id FROM tags WHERE path = $1", [definition.tagPath]);
  const tagId = existing.rows[0]?.id ?? (await registry.create({ path: definition.tagPath, dataType: "float" }, "test")).id;
  const id = newId();
  const kind = definition.kind ?? "hi";
  await db.query(
    `INSERT INTO alarm_definitions (id, site_id, tag_id, kind, limit_value, alarm_state, setpoint_path, priority, deadband,
                                    on_delay_seconds, off_delay_seconds, area, message, enabled, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'test')`,
    [
      id,
      siteId,
      tagId,
      kind,
      kind === "discrete" ? null : (definition.limit ?? 100),
      definition.alarmState ?? null,
      definition.setpointPath ?? null,
      definition.priority ?? "high",
      definition.deadband ?? 0,
      definition.onDelaySeconds ?? 0,
      definition.offDelaySeconds ?? 0,
      definition.area ?? "north",
      definition.message ?? `${definition.tagPath} ${kind}`,
      definition.enabled ?? true,
    ],
  );
  return id;
}
