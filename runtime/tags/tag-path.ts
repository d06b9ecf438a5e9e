/** `<site>/<asset>/<point>`, e.g. SITE1/WELL-101/THP. */
const SEGMENT = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
const TAG_PATH = new RegExp(`^${SEGMENT}/${SEGMENT}/${SEGMENT}$`);
export const TAG_PATH_PATTERN = TAG_PATH.source;

export function isTagPath(path: string): boolean {
  return TAG_PATH.test(path);
}

export class TagPathError extends Error {
  constructor(readonly path: string) {
    super(`invalid tag path ${JSON.stringify(path)}: expected <site>/<asset>/<point> (letters, digits, _ . -)`);
    this.name = "TagPathError";
  }
}

export function assertTagPath(path: string): void {
  if (!isTagPath(path)) throw new TagPathError(path);
}

/**
 * Compiles an MQTT-style pattern: `+` matches one level, a final `#` matches
 * any remaining levels; anything else matches literally.
 */
export function compilePattern(pattern: string): (path: string) => boolean {
  const levels = pattern.split("/");
  if (levels.some((level, index) => level === "" || (level.includes("#") && (level !== "#" || index !== levels.length - 1)) || (level.includes("+") && level !== "+"))) {
    throw new Error(`invalid tag pattern ${JSON.stringify(pattern)}: use levels separated by /, + for one level, # last for the rest`);
  }
  if (!levels.includes("+") && !levels.includes("#")) return (path) => path === pattern;
  return (path) => {
    const parts = path.split("/");
    for (let index = 0; index < levels.length; index++) {
      const level = levels[index];
      if (level === "#") return parts.length >= index;
      if (index >= parts.length) return false;
      if (level !== "+" && level !== parts[index]) return false;
    }
    return parts.length === levels.length;
  };
}
