import type { UserHealth } from "./users.ts";

export const USER_SORTS = [
  "user",
  "classified",
  "spam",
  "innocent",
  "retrains",
  "applied",
  "failed",
  "misdirected",
  "success",
] as const;
export type UserSort = (typeof USER_SORTS)[number];
export type SortDirection = "asc" | "desc";

const VALUE: Record<Exclude<UserSort, "user">, (u: UserHealth) => number> = {
  classified: (u) => u.classified,
  spam: (u) => u.spam,
  innocent: (u) => u.innocent,
  retrains: (u) => u.retrains,
  applied: (u) => u.retrainsApplied,
  failed: (u) => u.retrainsFailed,
  misdirected: (u) => u.retrainsMisdirected,
  // Users without retrains sort after everyone with a rate, in both directions.
  success: (u) => u.successRate ?? Number.NaN,
};

/** The natural direction of a column: names A→Z, numbers largest first, success rate worst first. */
export function defaultDirection(sort: UserSort): SortDirection {
  return sort === "user" || sort === "success" ? "asc" : "desc";
}

/** Users sorted by a column; ties by name. */
export function sortUsers(
  users: readonly UserHealth[],
  sort: UserSort,
  direction: SortDirection,
): UserHealth[] {
  const sign = direction === "asc" ? 1 : -1;
  return [...users].sort((a, b) => {
    if (sort === "user") return sign * a.user.localeCompare(b.user);
    const va = VALUE[sort](a);
    const vb = VALUE[sort](b);
    if (Number.isNaN(va) !== Number.isNaN(vb)) return Number.isNaN(va) ? 1 : -1;
    return (Number.isNaN(va) ? 0 : sign * (va - vb)) || a.user.localeCompare(b.user);
  });
}
