/**
 * The server sets a readable `tessera_session` cookie (no secret in it) beside the HttpOnly
 * session cookies, and clears it with them. Without it nobody is signed in here, so a signed-out
 * visitor's pages ask the server nothing about a session (and see no failed request).
 */
export function hasSessionHint(): boolean {
  return typeof document !== 'undefined' && /(?:^|;\s*)(?:__Host-)?tessera_session=/.test(document.cookie);
}
