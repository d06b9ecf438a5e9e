import net from "node:net";

/**
 * What the proxy does with traffic:
 * - pass: forwards both ways;
 * - reset: destroys every open connection with a TCP RST and refuses new
 *   ones the same way (a crashed server, a pulled cable noticed at once);
 * - blackhole: keeps every socket open but forwards nothing and answers
 *   nothing, new connections included (a network partition: nothing tells
 *   either side the peer is gone).
 */
export type FaultMode = "pass" | "reset" | "blackhole";

export interface FaultProxy {
  /** 127.0.0.1 port the proxy listens on. */
  readonly port: number;
  /** Rewrites a postgres:// (or any) URL's host and port to go through the proxy. */
  urlThrough(target: string): string;
  mode(): FaultMode;
  setMode(mode: FaultMode): void;
  /** Connections accepted since start (for asserting the client reconnected). */
  connectionsAccepted(): number;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

/**
 * A small TCP fault proxy for tests: put it between the site and PostgreSQL
 * (or an MQTT broker) and cut the link on demand. Written for the tests, not
 * for speed.
 */
export async function startFaultProxy(targetHost: string, targetPort: number): Promise<FaultProxy> {
  let mode: FaultMode = "pass";
  let accepted = 0;
  const pairs = new Set<Pair>();

  const server = net.createServer((client) => {
    accepted += 1;
    client.on("error", () => undefined);
    if (mode === "reset") {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    const forget = () => pairs.delete(pair);
    client.on("close", () => {
      forget();
      upstream.destroy();
    });
    upstream.on("close", () => {
      forget();
      client.destroy();
    });
    // Data is forwarded only in pass mode; in blackhole mode it is swallowed.
    client.on("data", (chunk: Buffer) => {
      if (mode === "pass") upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (mode === "pass") client.write(chunk);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    port,
    urlThrough(target) {
      const url = new URL(target);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    mode: () => mode,
    setMode(next) {
      mode = next;
      if (next === "reset") {
        for (const { client, upstream } of pairs) {
          client.resetAndDestroy();
          upstream.destroy();
        }
        pairs.clear();
      }
    },
    connectionsAccepted: () => accepted,
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
