-- A tag's asset is the asset register's link (asset_tags: asset, role, tag
-- path), so the free-text tags.asset_id goes. Links it held are kept: where
-- it names an asset of the same site (by code, or by id) and that asset has
-- no link in the tag's role yet, the link moves to asset_tags, with the role
-- the point name in lower snake case (THP → thp, as the demo names roles).
-- The tags migrations run before the ERP modules': on a new database there
-- is no asset register yet, and nothing to move.
DO $$
BEGIN
  IF to_regclass('asset_tags') IS NOT NULL THEN
    INSERT INTO asset_tags (id, site_id, asset_id, role, tag_path, created_by)
    SELECT
      -- A UUIDv7 like the app's: 48 bits of milliseconds, version 7, variant 10, random bits.
      (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
        || '7' || substr(md5(random()::text || t.id::text), 1, 3)
        || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(md5(random()::text || t.path), 1, 15))::uuid,
      a.site_id, a.id, m.role, t.path, 'system:migration'
    FROM tags t
    JOIN assets a ON a.site_id = t.site_id AND (a.code = t.asset_id OR a.id::text = t.asset_id)
    CROSS JOIN LATERAL (SELECT regexp_replace(lower(split_part(t.path, '/', 3)), '[^a-z0-9_]', '_', 'g') AS role) m
    WHERE t.asset_id IS NOT NULL AND m.role ~ '^[a-z][a-z0-9_]{0,39}$'
    ON CONFLICT ON CONSTRAINT asset_tags_role_unique DO NOTHING;
  END IF;
END $$;

DROP INDEX IF EXISTS tags_asset_idx;
ALTER TABLE tags DROP COLUMN asset_id;
