import { Type, type Static } from "@sinclair/typebox";
import { USERNAME_PATTERN, MIN_PASSWORD_LENGTH } from "./auth-service.js";
import { ROLES } from "./roles.js";

export const RoleSchema = Type.Union(ROLES.map((role) => Type.Literal(role)));

export const UserSchema = Type.Object({
  id: Type.String({ format: "uuid" }),
  username: Type.String(),
  role: RoleSchema,
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
  user: Type.Object({ id: Type.String(), username: Type.String(), role: RoleSchema }),
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
    password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 })),
  },
  { additionalProperties: false },
);

export const UpdateUserBodySchema = Type.Object(
  {
    role: Type.Optional(RoleSchema),
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
