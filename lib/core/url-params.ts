// URL parameters a page could not read: each is said on the page, never silently dropped.

/** The sentence for a value outside `allowed`; null when it is empty or allowed. */
export function choiceProblem(
  name: string,
  value: string | undefined,
  allowed: readonly string[],
): string | null {
  if (value === undefined || value === "" || allowed.includes(value)) return null;
  const list = allowed.length <= 12 ? allowed.join(", ") : `${allowed.slice(0, 12).join(", ")} …`;
  return `${name}=${value} is not understood: use one of ${list}.`;
}

/** The problems among several checks, in order. */
export function problems(...checks: (string | null)[]): string[] {
  return checks.filter((p): p is string => p !== null);
}
