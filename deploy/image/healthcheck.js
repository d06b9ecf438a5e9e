// The image's HEALTHCHECK: the image has no shell and no curl, so Node asks
// the site's /healthz itself. Exit 0 when it answers 200 in time, 1 otherwise
// (what podman and Docker read as healthy / unhealthy).
"use strict";
/* global fetch, AbortSignal -- Node 22 globals, not in the lint config's list for plain JS */
const port = process.env.PORT || "1880";
// A site bound to every interface answers on loopback; one bound to an address, there.
const bound = process.env.HOST || "0.0.0.0";
const host = bound === "0.0.0.0" || bound === "::" ? "127.0.0.1" : bound.includes(":") ? `[${bound}]` : bound;
fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => {
    if (response.status !== 200) process.stderr.write(`/healthz answered ${response.status}\n`);
    process.exit(response.status === 200 ? 0 : 1);
  },
  (error) => {
    process.stderr.write(`/healthz did not answer: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
