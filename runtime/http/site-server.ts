import http from "node:http";
import type { Duplex } from "node:stream";

/** Decides an upgrade; calls pass() to hand it to the listeners (Node-RED's comms, the live hub, flows' websockets). */
export type UpgradeGate = (req: http.IncomingMessage, socket: Duplex, head: Buffer, pass: () => void) => void;

/** Runs on every request before any listener, Express or not. */
export type RequestHook = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * The site's HTTP server. Node-RED's comms, Dashboard 2.0's socket.io and
 * flows' websocket nodes attach their own 'request' and 'upgrade' listeners
 * to the server, outside Express and in an order we do not control; this is
 * the one place that sees every request and every upgrade first.
 */
export class SiteServer extends http.Server {
  private upgradeGate: UpgradeGate | undefined;
  private readonly requestHooks: RequestHook[] = [];

  /** Every upgrade waits for the gate; refused ones never reach a listener. */
  gateUpgrades(gate: UpgradeGate): void {
    this.upgradeGate = gate;
  }

  beforeEveryRequest(hook: RequestHook): void {
    this.requestHooks.push(hook);
  }

  override emit(event: string, ...args: unknown[]): boolean {
    if (event === "request" && this.requestHooks.length > 0) {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      for (const hook of this.requestHooks) hook(req, res);
    }
    const gate = this.upgradeGate;
    if (event === "upgrade" && gate) {
      const [req, socket, head] = args as [http.IncomingMessage, Duplex, Buffer];
      gate(req, socket, head, () => super.emit("upgrade", req, socket, head));
      return true;
    }
    return super.emit(event, ...args);
  }
}
