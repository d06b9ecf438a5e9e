import { Type, type Static } from "@sinclair/typebox";
import { USERNAME_PATTERN, MIN_PASSWORD_LENGTH } from "./auth-service.js";
import { GRANTS } from "./grants.js";
import { ROLES } from "./roles.js";

export const RoleSchema = Type.Union(ROLES.map((role) => Type.Literal(role)));

export const GrantNameSchema = Type.Union(GRANTS.map((grant) => Type.Literal(grant)));

/**
 * One functional permission (runtime/auth/grants.ts). That approvalLimit is
 * required on approver and refused on the others is checked by the auth
 * service, so the 400 names the grant's field rather than a failed union.
 */
export const UserGrantSchema = Type.Object(
  {
    grant: GrantNameSchema,
    approvalLimit: Type.Optional(Type.Number({ minimum: 0, description: "approver only: the largest purchase total it may approve, in the site currency" })),
  },
  { additionalProperties: false },
);

/** The whole set a user holds; a create or update replaces it. */
export const UserGrantsSchema = Type.Array(UserGrantSchema, { maxItems: GRANTS.length });

export const UserSchema = Type.Object({
  id: Type.String({ format: "uuid" }),
  username: Type.String(),
  role: RoleSchema,
  grants: UserGrantsSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
});

export const LoginBodySchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const SessionSchema = Type.Object({
  user: Type.Object({ id: Type.String(), username: Type.String(), role: RoleSchema, grants: UserGrantsSchema }),
  csrfToken: Type.String(),
});

export const EditorTokenSchema = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Integer(),
  token_type: Type.Literal("Bearer"),
});

export const CreateUserBodySchema = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN }),
    role: RoleSchema,
    grants: Type.Optional(UserGrantsSchema),
    password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 })),
  },
  { additionalProperties: false },
);

export const UpdateUserBodySchema = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    grants: Type.Optional(UserGrantsSchema),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ResetPasswordBodySchema = Type.Object(
  {
    password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 })),
  },
  { additionalProperties: false },
);

export const ApiTokenInfoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

export const CreateApiTokenBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresAt: Type.Optional(Type.String({ format: "date-time" })),
  },
  { additionalProperties: false },
);

export type LoginBody = Static<typeof LoginBodySchema>;
export type ManagedUser = Static<typeof UserSchema>;
export type SessionUser = Static<typeof SessionSchema>["user"];
export type UserCreateBody = Static<typeof CreateUserBodySchema>;
export type UserUpdateBody = Static<typeof UpdateUserBodySchema>;
