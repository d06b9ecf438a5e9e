import type http from "node:http";
import type { Duplex } from "node:stream";
import { endsAccessOf, type AccessEvents } from "../auth/access-events.js";
import type { Principal } from "../auth/auth-service.js";
import { EDITOR_ROLE, roleAtLeast, type Role } from "../auth/roles.js";
import type { Logger } from "../observability/logger.js";
import { LIVE_PATH } from "./live-hub.js";
import type { UpgradeGate } from "./site-server.js";

/** Node-RED's editor connection (httpAdminRoot + "/comms"). */
export const EDITOR_COMMS_PATH = "/editor/comms";

/**
 * The role an upgrade path needs, or null when nothing is served there:
 * the same rule as for HTTP (the editor needs the editor role; the live
 * feed and flows' endpoints, Dashboard 2.0's socket.io among them, need a
 * login).
 */
export function upgradeRole(pathname: string): Role | null {
  if (pathname === EDITOR_COMMS_PATH) return EDITOR_ROLE;
  if (pathname === LIVE_PATH || pathname.startsWith("/endpoints/")) return "viewer";
  return null;
}

/** A cookie only counts from the site's own pages: another site's page must not open a socket with it. */
export function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export interface UpgradeGateOptions {
  /** Who the upgrade request comes from: null when anonymous, "invalid" for a bearer token that is no one's. */
  authenticate: (req: http.IncomingMessage) => Promise<Principal | null | "invalid">;
  access: AccessEvents;
  logger: Logger;
}

export interface SiteUpgradeGate {
  gate: UpgradeGate;
  /** The principal the gate let through, for a listener that needs it (the live hub). */
  principalOf(req: http.IncomingMessage): Principal | undefined;
}

/**
 * Every websocket upgrade, before any listener: anonymous ones are refused
 * everywhere (401, before the path is even looked at), then the path's role
 * is checked. Sockets it lets through (other than the live feed, which
 * closes its own with a reason) are kept, and destroyed when their user's
 * access ends.
 */
export function createUpgradeGate(options: UpgradeGateOptions): SiteUpgradeGate {
  const principals = new WeakMap<http.IncomingMessage, Principal>();
  const open = new Map<Duplex, Principal>();
  options.access.on((event) => {
    for (const [socket, principal] of open) if (endsAccessOf(event, principal)) socket.destroy();
  });

  const gate: UpgradeGate = (req, socket, _head, pass) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const authenticatedAt = options.access.sequence;
    options
      .authenticate(req)
      .then((principal) => {
        if (!principal || principal === "invalid") return refuse(socket, 401, "Unauthorized");
        if (principal.via === "session" && !sameOrigin(req)) return refuse(socket, 403, "Forbidden");
        const role = upgradeRole(pathname);
        if (role === null) return refuse(socket, 404, "Not Found");
        if (!roleAtLeast(principal.user.role, role)) return refuse(socket, 403, "Forbidden");
        if (options.access.endedSince(authenticatedAt, principal)) return refuse(socket, 401, "Unauthorized");
        principals.set(req, principal);
        if (pathname !== LIVE_PATH) {
          open.set(socket, principal);
          socket.once("close", () => open.delete(socket));
        }
        pass();
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error, path: pathname }, "websocket upgrade could not be authenticated");
        refuse(socket, 503, "Service Unavailable");
      });
  };
  return { gate, principalOf: (req) => principals.get(req) };
}
