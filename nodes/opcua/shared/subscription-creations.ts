import type { ClientSession, ClientSubscription } from "node-opcua";

/**
 * node-opcua announces a created subscription on the next tick, in a
 * listener that asserts its session is still open; a session closed in
 * between (a shutdown or redeploy right after connecting) makes that assert
 * throw where nothing can catch it, and the process dies. So subscriptions
 * are created through here, and a session is closed only once the
 * creations it has under way have settled.
 */
const underWay = new WeakMap<ClientSession, Set<Promise<unknown>>>();

/** session.createSubscription2, recorded until it settles. */
export function createSubscription(session: ClientSession, parameters: Parameters<ClientSession["createSubscription2"]>[0]): Promise<ClientSubscription> {
  const creating = session.createSubscription2(parameters);
  let pending = underWay.get(session);
  if (!pending) {
    pending = new Set();
    underWay.set(session, pending);
  }
  const tracked = pending;
  tracked.add(creating);
  const forget = () => tracked.delete(creating);
  creating.then(forget, forget);
  return creating;
}

/** Waits (at most timeoutMs) for the session's subscription creations to settle, before it is closed. */
export async function creationsSettled(session: ClientSession, timeoutMs: number): Promise<void> {
  const pending = underWay.get(session);
  if (!pending || pending.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled([...pending]), timeout]);
  clearTimeout(timer);
}
