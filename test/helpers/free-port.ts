import net from "node:net";

/**
 * Below Linux's ephemeral range (32768-60999 by default): a port handed out by a port-0 bind comes from
 * that range, which every outgoing connection of every test worker also draws its source port from, so one
 * of them could take it before the server that asked binds it (a demo once started without its OPC UA
 * server that way). A random port here is only contended by other callers of this function.
 */
const LOW_PORT = 20_000;
const HIGH_PORT = 32_000;

function tryBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot report a port-0 bind). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOW_PORT + Math.floor(Math.random() * (HIGH_PORT - LOW_PORT));
    if (await tryBind(port)) return port;
  }
  throw new Error(`no free TCP port between ${LOW_PORT} and ${HIGH_PORT} after 50 tries`);
}
