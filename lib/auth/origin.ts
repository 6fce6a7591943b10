/** Header access shared by the Fetch API's Headers and Next's ReadonlyHeaders. */
export type HeaderBag = { get(name: string): string | null };

/** The host the browser addressed (what a same-origin Origin header must name). */
export function requestHost(headers: HeaderBag): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || headers.get("host");
}

/**
 * True when a mutation comes from one of our own pages: the browser's Origin names this host and,
 * when sent, Sec-Fetch-Site says same-origin. Requests without Origin are refused (every browser
 * sends it on POST).
 */
export function isSameOrigin(headers: HeaderBag): boolean {
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = headers.get("origin");
  const host = requestHost(headers);
  if (!origin || origin === "null" || !host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

/** True when the browser reached us over HTTPS (directly or through a TLS-terminating proxy). */
export function isHttps(headers: HeaderBag, url?: string): boolean {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (proto) return proto === "https";
  return url?.startsWith("https:") ?? false;
}

// The dashboard's sections (app/(dashboard)/…): the only places a sign-in returns to, besides "/".
const SECTIONS = new Set(["messages", "findings", "users", "sources", "config"]);
const SELF = "http://spamtrail.invalid";

/**
 * Where to go after signing in: `value` resolved against our own origin the way a browser would
 * (dot segments, backslashes, tabs), kept only when it stays on this site at the overview or a
 * section of the dashboard; otherwise "/". Percent-encoded, so it is always a valid Location.
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value?.startsWith("/") || value.length > 2000) return "/";
  let url: URL;
  try {
    url = new URL(value, SELF);
  } catch {
    return "/";
  }
  if (url.origin !== SELF) return "/";
  if (url.pathname === "/") return `/${url.search}`;
  const section = url.pathname.split("/")[1] ?? "";
  if (!SECTIONS.has(section)) return "/";
  return `${url.pathname}${url.search}`;
}
