import { newIdempotencyKey } from '../../api/client';

/** The entry last sent from a form and the Idempotency-Key it went with. */
export interface Submission {
  body: string;
  key: string;
}

/**
 * The key for sending `body`: the previous one when the very same entry is
 * sent again (its answer was lost), a new one for anything else.
 */
export function keyForSubmission(previous: Submission | null, body: unknown, makeKey: () => string = newIdempotencyKey): Submission {
  const serialized = JSON.stringify(body);
  return previous !== null && previous.body === serialized ? previous : { body: serialized, key: makeKey() };
}
