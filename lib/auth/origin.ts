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

/** The client's address: the last X-Forwarded-For hop (added by Next.js or the nearest reverse proxy). */
export function clientAddress(headers: HeaderBag): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops.at(-1) ?? "unknown";
}

/** True when the browser reached us over HTTPS (directly or through a TLS-terminating proxy). */
export function isHttps(headers: HeaderBag, url?: string): boolean {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (proto) return proto === "https";
  return url?.startsWith("https:") ?? false;
}

/** A same-site path to return to after login: only our own absolute paths, never another origin. */
export function safeNextPath(value: string | null | undefined): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if ([...value].some((char) => char.charCodeAt(0) < 0x20) || value.startsWith("/login")) return "/";
  return value.slice(0, 2000);
}
