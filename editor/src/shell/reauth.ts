/**
 * The one "your session ended" moment of the page. Requests that find the
 * session gone all wait on the same sign-in; the dialog watches this store,
 * and settles it when the user signed in again or gave up.
 */
interface Pending {
  promise: Promise<void>;
  resolve: () => void;
  reject: (reason: Error) => void;
}

let pending: Pending | null = null;
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

/** Resolves once the user has signed in again; rejects if they leave for the login page instead. */
export function waitForSignIn(): Promise<void> {
  if (pending === null) {
    let resolve!: () => void;
    let reject!: (reason: Error) => void;
    const promise = new Promise<void>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    pending = { promise, resolve, reject };
    notify();
  }
  return pending.promise;
}

function settle(outcome: (waiting: Pending) => void): void {
  const waiting = pending;
  if (waiting === null) return;
  pending = null;
  outcome(waiting);
  notify();
}

export function signedInAgain(): void {
  settle((waiting) => waiting.resolve());
}

export function gaveUpSignIn(): void {
  settle((waiting) => waiting.reject(new Error('the user did not sign in again')));
}

export function isWaitingForSignIn(): boolean {
  return pending !== null;
}

export function watchSignIn(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
