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
