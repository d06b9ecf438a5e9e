import { useRef } from 'react';
import { keyForSubmission, type Submission } from '../production/submission-key';

/**
 * Idempotency-Keys for a form: the same key when the very same body is sent
 * again (its answer was lost), a new one once the body changes, so a
 * corrected entry after a refusal is not answered with the first refusal.
 */
export function useSubmissionKey() {
  const last = useRef<Submission | null>(null);
  return {
    keyFor(body: unknown): string {
      last.current = keyForSubmission(last.current, body);
      return last.current.key;
    },
    /** After a success: the next submission is a new entry even if it looks the same. */
    reset(): void {
      last.current = null;
    },
  };
}
