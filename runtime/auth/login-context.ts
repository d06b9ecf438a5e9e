import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The caller's address for logins that Node-RED performs itself (its token
 * endpoint calls adminAuth.authenticate without the request), so the audit
 * row still says where the attempt came from.
 */
export const loginContext = new AsyncLocalStorage<{ ip: string }>();
