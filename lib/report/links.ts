// Links from the report into the dashboard. The base URL is configuration (SPAMTRAIL_BASE_URL);
// without it the report has no links.

export type DashboardLinks = {
  home: string;
  findings: string;
  message(messageId: string): string;
  /** The message search with these parameters (a message filter and its range). */
  messages(query: Record<string, string>): string;
  finding(id: number): string;
  user(user: string): string;
};

/** Link builders under `baseUrl`, or null without one; path segments are percent-encoded. */
export function dashboardLinks(baseUrl: string | null | undefined, host?: string): DashboardLinks | null {
  if (!baseUrl) return null;
  const base = baseUrl.replace(/\/+$/, "");
  // A report of one server links to that server's view of each page.
  const onHost = host ? `?${new URLSearchParams({ host }).toString()}` : "";
  return {
    home: `${base}/${onHost}`,
    findings: `${base}/findings${onHost}`,
    message: (messageId) => `${base}/messages/${encodeURIComponent(messageId)}`,
    messages: (query) =>
      `${base}/messages?${new URLSearchParams({ ...query, ...(host ? { host } : {}) }).toString()}`,
    finding: (id) => `${base}/findings/${id}`,
    user: (user) => `${base}/users/${encodeURIComponent(user)}`,
  };
}

/** Checks a base URL: absolute http(s), no query or fragment; returns it normalised or an error message. */
export function checkBaseUrl(value: string): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {
      error: `SPAMTRAIL_BASE_URL must be an absolute URL like https://spamtrail.example.com, got '${value}'`,
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { error: `SPAMTRAIL_BASE_URL must start with http:// or https://, got '${value}'` };
  }
  if (url.search || url.hash)
    return { error: `SPAMTRAIL_BASE_URL must not have a query or fragment, got '${value}'` };
  return { url: url.href.replace(/\/+$/, "") };
}
