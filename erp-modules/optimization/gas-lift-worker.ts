import highsLoader, { type Highs } from "highs";
import { parentPort } from "node:worker_threads";
import { solveGasLiftWithHighs } from "./gas-lift-highs.js";
import { unpackRequest, type GasLiftWorkerReply, type GasLiftWorkerRequest } from "./gas-lift-worker-protocol.js";

/*
 * The gas-lift solver's worker thread (started by gas-lift-solver.ts): loads
 * HiGHS once, then solves one request per message. Everything CPU-bound
 * happens here, off the site's event loop.
 */

// Loaded once per worker; a failed load fails every request with its reason.
const ready: Promise<Highs> = highsLoader();

const port = parentPort;
if (port) {
  port.on("message", (message: GasLiftWorkerRequest) => {
    ready.then(
      (highs) => {
        let reply: GasLiftWorkerReply;
        try {
          reply = { id: message.id, ok: true, result: solveGasLiftWithHighs(highs, unpackRequest(message)) };
        } catch (error) {
          reply = { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
        port.postMessage(reply);
      },
      (error: unknown) => port.postMessage({ id: message.id, ok: false, error: `HiGHS did not load: ${error instanceof Error ? error.message : String(error)}` } satisfies GasLiftWorkerReply),
    );
  });
}
