/** A dynamic route segment as it was before our links percent-encoded it (Next hands it over encoded). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A `page` search parameter: 1 when absent, the page number when it is one (1–999999), else null (not found). */
export function pageParam(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return 1;
  return /^[1-9]\d{0,5}$/.test(text) ? Number(text) : null;
}

/** A numbered route's id (`/findings/N`, `/sources/N`): the number when it is one (1–999999999), else null. */
export function idParam(segment: string): number | null {
  return /^[1-9]\d{0,8}$/.test(segment) ? Number(segment) : null;
}

/**
 * Whether a request names something the numbered routes can show: `/findings/N` (with a readable
 * `page`) and `/sources/N`. Checked in proxy.ts before rendering, because those pages stream (their
 * loading.tsx) and a not-found decided while rendering comes too late to set the status to 404.
 */
export function wellFormedRoute(pathname: string, page: string | null): boolean {
  const finding = /^\/findings\/([^/]+)\/?$/.exec(pathname);
  if (finding) return idParam(finding[1] as string) !== null && pageParam(page ?? undefined) !== null;
  const source = /^\/sources\/([^/]+)\/?$/.exec(pathname);
  if (source) return idParam(source[1] as string) !== null;
  return true;
}
