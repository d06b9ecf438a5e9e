/**
 * The node SDK's own version (docs/sdk.md "Versioning"), apart from the
 * app's: a node built against 1.x runs on every Petroflow whose SDK is 1.y
 * with y ≥ x. Minor: members added; major: anything removed or changed,
 * which test/unit/sdk/sdk-surface.test.ts refuses unless this moves too.
 */
export const PETROFLOW_SDK_VERSION = "1.0.0";

function parts(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/**
 * Whether a node built against SDK `required` (a plain x.y.z) runs on a
 * runtime whose SDK is `provided`: same major, and the runtime's minor at
 * least the node's (a newer minor only adds).
 */
export function sdkSatisfies(provided: string, required: string): boolean {
  const have = parts(provided);
  const want = parts(required);
  if (!have || !want) return false;
  return have[0] === want[0] && (have[1] > want[1] || (have[1] === want[1] && have[2] >= want[2]));
}
