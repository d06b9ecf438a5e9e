/** Full navigation: the login page is a separate entry served without a session. */
export function redirectToLogin(): void {
  const { pathname, search, hash } = window.location;
  window.location.assign(`/login?next=${encodeURIComponent(pathname + search + hash)}`);
}
