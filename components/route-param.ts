/** A dynamic route segment as it was before our links percent-encoded it (Next hands it over encoded). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
