import type { Page } from "playwright-core";
import type { Field } from "../../runtime/field/field-schema.js";

/**
 * Serves a made-up plant to the web app in the browser: GET /api/v1/field
 * answers `field`, and the /api/v1/live socket answers every subscription with
 * a value for each of the field's points, then sends every numeric point a new
 * value each `intervalMs`, as a site's live feed does. The server behind the
 * page is only there for the app and the sign-in.
 */
export interface FakeFieldFeed {
  /** Updates sent so far, one per tick. */
  ticks(): number;
  stop(): void;
}

interface WireTag {
  p: string;
  v: number | boolean;
  q: "good";
  t: number;
}

/** Wells W-004, W-011, W-018 ... (every seventh) report stopped; every other flag reads false. */
export function fakeRunning(tagPath: string): boolean {
  const well = /\/W-(\d+)\//.exec(tagPath);
  return well === null || Number(well[1]) % 7 !== 4;
}

function valueFor(unit: string, tagPath: string, point: string, index: number, tick: number): number | boolean {
  if (unit === "bool") return point.includes("RUN") && fakeRunning(tagPath);
  // A slow wobble per point: every value changes every tick.
  const wobble = Math.sin((tick + index) / 5);
  if (unit === "kPa") return Math.round((1500 + 300 * wobble + index) * 10) / 10;
  if (unit === "%") return Math.round((50 + 20 * wobble) * 10) / 10;
  if (unit === "m") return Math.round((4 + wobble) * 100) / 100;
  return Math.round((40 + 10 * wobble + (index % 13)) * 10) / 10;
}

export async function serveFakeField(page: Page, field: Field, intervalMs = 1000): Promise<FakeFieldFeed> {
  const points = field.assets.flatMap((asset) => asset.points);
  const tags = (tick: number, numericOnly: boolean): WireTag[] =>
    points.flatMap((point, index) =>
      numericOnly && point.unit === "bool" ? [] : [{ p: point.tagPath, v: valueFor(point.unit, point.tagPath, point.point, index, tick), q: "good", t: Date.now() }],
    );
  let tick = 0;
  const timers: NodeJS.Timeout[] = [];
  await page.route(/\/api\/v1\/field$/, (route) => route.fulfill({ json: field }));
  await page.routeWebSocket(/\/api\/v1\/live$/, (socket) => {
    socket.onMessage((data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string };
      // The client filters the snapshot by its own patterns; sending all is simpler and as real.
      if (message.type === "subscribe") socket.send(JSON.stringify({ type: "snapshot", id: message.id, tags: tags(tick, false) }));
    });
    timers.push(
      setInterval(() => {
        tick++;
        socket.send(JSON.stringify({ type: "update", tags: tags(tick, true) }));
      }, intervalMs),
    );
  });
  return {
    ticks: () => tick,
    stop: () => timers.forEach(clearInterval),
  };
}
