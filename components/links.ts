// Our own routes, built from log-derived values: every value is percent-encoded, and nothing from a
// log line ever becomes a link to anywhere else.

type Query = Record<string, string | number | null | undefined>;

/** `path?query`, dropping empty values. */
export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The drill-down of a message, by Message-ID, queue id or journey key. */
export function messageHref(id: string): string {
  return `/messages/${encodeURIComponent(id)}`;
}

export function messagesHref(query: Query = {}): string {
  return withQuery("/messages", query);
}

export function userHref(user: string): string {
  return `/users/${encodeURIComponent(user)}`;
}

export function findingHref(id: number, query: Query = {}): string {
  return withQuery(`/findings/${id}`, query);
}

export function sourceHref(id: number): string {
  return `/sources/${id}`;
}

export function findingsHref(query: Query = {}): string {
  return withQuery("/findings", query);
}

export function usersHref(query: Query = {}): string {
  return withQuery("/users", query);
}

/** The users page's list of retrainings with one outcome (all, applied, failed, unknown, misdirected). */
export function trainingsHref(outcome: string, query: Query = {}): string {
  return `${withQuery("/users", { ...query, retrains: outcome })}#retraining`;
}
