-- Functional permissions beside the role ladder (docs/permissions.md). A
-- grant widens what a user may do for one job; approver carries the largest
-- purchase total, in the site currency, the user may approve.
CREATE TABLE user_grants (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  "grant" text NOT NULL CHECK ("grant" IN ('technician', 'storekeeper', 'buyer', 'approver')),
  approval_limit numeric,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (user_id, "grant"),
  -- An approver without a limit could approve anything; a limit on any other grant would mean nothing.
  CONSTRAINT user_grants_approval_limit_check CHECK (
    ("grant" = 'approver' AND approval_limit IS NOT NULL AND approval_limit >= 0)
    OR ("grant" <> 'approver' AND approval_limit IS NULL)
  )
);
