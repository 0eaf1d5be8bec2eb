/**
 * The browser host hands its per-run token in the URL fragment (`#token=<hex>`), which
 * never reaches a server log. We keep it for this tab only (sessionStorage, so a reload
 * still works) and strip it from the address bar so it is not shoulder-surfed or bookmarked.
 */
const STORAGE_KEY = 'guardline.token';

/** `#token=abc&x=1` -> `abc`; null when the fragment carries no token. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token && /^[A-Za-z0-9_-]{8,256}$/.test(token) ? token : null;
}

export interface TokenPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function takeToken(place: TokenPlace): string | null {
  const fromHash = tokenFromHash(place.location.hash);
  if (fromHash) {
    place.storage.setItem(STORAGE_KEY, fromHash);
    place.history.replaceState(null, '', place.location.pathname + place.location.search);
    return fromHash;
  }
  return place.storage.getItem(STORAGE_KEY);
}
