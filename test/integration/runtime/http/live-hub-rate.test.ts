import { AccessEvents } from "../../../../runtime/auth/access-events.js";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import type { Principal } from "../../../../runtime/auth/auth-service.js";
import { attachLiveHub } from "../../../../runtime/http/live-hub.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { TagStore } from "../../../../runtime/tags/tag-store.js";

const SITE_MAX_RATE_HZ = 4;
const viewer: Principal = { user: { id: "u1", username: "vic", role: "viewer", grants: [], disabled: false, createdAt: "2026-01-01T00:00:00Z" }, via: "api-token" };

interface Received {
  type: string;
  maxRateHz?: number;
  tags?: unknown[];
}

/**
 * Issue 8 §4: the client chooses maxRateHz, the site bounds it. A tiny rate
 * once became a timer of Infinity ms, which Node runs after 1 ms with a
 * TimeoutOverflowWarning: the slowest possible request gave the fastest feed.
 */
describe("live feed rate (a real websocket on the hub)", function () {
  this.timeout(20_000);
  let server: http.Server;
  let hub: ReturnType<typeof attachLiveHub>;
  const tags = new TagStore();
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  before(async () => {
    server = http.createServer((_req, res) => res.writeHead(404).end());
    hub = attachLiveHub(server, {
      tags,
      authenticate: async () => viewer,
      mayRead: () => true,
      maxRateHz: SITE_MAX_RATE_HZ,
      logger: createLogger("silent"),
      access: new AccessEvents(),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.on("warning", onWarning);
  });

  after(async () => {
    process.off("warning", onWarning);
    hub.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function subscribe(maxRateHz: number): Promise<{ socket: WebSocket; messages: Received[]; snapshot: Received }> {
    const { port } = server.address() as AddressInfo;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/live`);
    const messages: Received[] = [];
    const snapshot = new Promise<Received>((resolve, reject) => {
      socket.on("message", (data) => {
        const message = JSON.parse((data as Buffer).toString()) as Received;
        messages.push(message);
        if (message.type === "snapshot") resolve(message);
        if (message.type === "error") reject(new Error(JSON.stringify(message)));
      });
      socket.once("error", reject);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    socket.send(JSON.stringify({ type: "subscribe", id: "s", patterns: ["SITE1/#"], maxRateHz }));
    return { socket, messages, snapshot: await snapshot };
  }

  it("applies at least 0.1 Hz, however small the rate asked for, without timer warnings", async () => {
    for (const asked of [1e-320, Number.MIN_VALUE, 0.001]) {
      const { socket, messages, snapshot } = await subscribe(asked);
      assert.equal(snapshot.maxRateHz, 0.1, `asked ${asked}`);
      tags.write("SITE1/WELL-1/THP", { v: Math.random() });
      // A queued update waits for the 10 s timer; before, a 1 ms one sent it at once.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(messages.map((message) => message.type), ["snapshot"], `asked ${asked}`);
      socket.close();
    }
    assert.deepEqual(warnings.map((warning) => warning.name), []);
  });

  it("applies at most the site's maximum", async () => {
    const { socket, snapshot } = await subscribe(1_000);
    assert.equal(snapshot.maxRateHz, SITE_MAX_RATE_HZ);
    socket.close();
    const within = await subscribe(2);
    assert.equal(within.snapshot.maxRateHz, 2);
    within.socket.close();
  });
});
