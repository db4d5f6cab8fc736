// The signed-in session: a bearer token on this device, and the way back to sign-in.
const TOKEN_KEY = 'courtyard.token';

export const session = {
  get: () => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** The sign-in page, told where to return to afterwards. */
export function signInUrl(next = location.pathname + location.search): string {
  return `/login/?next=${encodeURIComponent(next)}`;
}

/** Forgets the session and goes to sign-in, remembering the page the person was on. */
export function endSession() {
  session.clear();
  location.assign(signInUrl());
}

/** A `next` parameter that stays on this site (never `//elsewhere` or `https://…`). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}
