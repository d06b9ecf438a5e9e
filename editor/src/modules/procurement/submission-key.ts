import { useState } from 'react';
import { ApiError, newIdempotencyKey } from '../../api/client';

/**
 * The Idempotency-Key of one submission. A retry after no answer (offline, a
 * timeout) keeps it, so the write happens once; once the server has answered,
 * success or refusal, the next submission is a new one (a corrected form sent
 * with the old key would be refused as a reused key).
 */
export function useSubmissionKey(): { key: string; answered: (error?: unknown) => void } {
  const [key, setKey] = useState(newIdempotencyKey);
  return {
    key,
    answered: (error?: unknown) => {
      if (error === undefined || (error instanceof ApiError && error.status !== 0)) setKey(newIdempotencyKey());
    },
  };
}
