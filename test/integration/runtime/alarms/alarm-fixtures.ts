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

/** Many `hi` alarms on new tags, two statements in all (a flood test needs a hundred). */
export async function defineManyAlarms(
  db: Queryable,
  siteId: string,
  alarms: readonly { tagPath: string; priority: AlarmDefinitionInput["priority"]; area: string; limit: number }[],
): Promise<string[]> {
  const tagIds = alarms.map(() => newId());
  const ids = alarms.map(() => newId());
  await db.query(
    `INSERT INTO tags (id, site_id, path, data_type, created_by)
     SELECT id, $1, path, 'float', 'test' FROM unnest($2::uuid[], $3::text[]) AS t(id, path)`,
    [siteId, tagIds, alarms.map((alarm) => alarm.tagPath)],
  );
  await db.query(
    `INSERT INTO alarm_definitions (id, site_id, tag_id, kind, limit_value, priority, area, message, created_by)
     SELECT id, $1, tag_id, 'hi', limit_value, priority, area, path || ' high', 'test'
       FROM unnest($2::uuid[], $3::uuid[], $4::float8[], $5::text[], $6::text[], $7::text[]) AS d(id, tag_id, limit_value, priority, area, path)`,
    [siteId, ids, tagIds, alarms.map((alarm) => alarm.limit), alarms.map((alarm) => alarm.priority), alarms.map((alarm) => alarm.area), alarms.map((alarm) => alarm.tagPath)],
  );
  return ids;
}
