export const LOGIN_PATH = '/login';

/** Full navigation: the login page is a separate entry served without a session. */
export function redirectToLogin(): void {
  const { pathname, search, hash } = window.location;
  window.location.assign(`${LOGIN_PATH}?next=${encodeURIComponent(pathname + search + hash)}`);
}
