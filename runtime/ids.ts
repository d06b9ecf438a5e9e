import { v7 as uuidv7 } from "uuid";

/** Row ids: UUIDv7, made in the app, time-ordered and unique across sites. */
export function newId(): string {
  return uuidv7();
}
