const FALLBACK = '/';
const LOGIN_PATHS = new Set(['/login', '/login.html']);

/**
 * Where to go after signing in. Only paths on this origin are followed, so a
 * crafted `?next=` link cannot bounce a freshly signed-in user to another site.
 */
export function safeNextPath(next: string | null, origin: string): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//')) return FALLBACK;
  // URL parsers read "\" as "/" and drop tabs and newlines, so "/\evil.com"
  // or "/\t/evil.com" would become the protocol-relative "//evil.com".
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== origin || LOGIN_PATHS.has(url.pathname)) return FALLBACK;
  return `${url.pathname}${url.search}${url.hash}`;
}
