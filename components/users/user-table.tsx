import Link from "next/link";
import { filterLabel } from "@/lib/filters/registry";
import type { SortDirection, UserSort } from "@/lib/queries/user-sort";
import { defaultDirection } from "@/lib/queries/user-sort";
import type { UserHealth } from "@/lib/queries/users";
import { userHref, withQuery } from "../links";
import { Badge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { Num } from "../ui/number";
import { Table, Tbody, Td, Thead } from "../ui/table";

// On a phone the user, failed and success columns stay (`wide` columns need 640 px).
const COLUMNS: { key: UserSort; label: string; right?: boolean; wide?: boolean }[] = [
  { key: "user", label: "User" },
  { key: "classified", label: "Classified", right: true, wide: true },
  { key: "spam", label: "Spam", right: true, wide: true },
  { key: "innocent", label: "Innocent", right: true, wide: true },
  { key: "retrains", label: "Retrains", right: true, wide: true },
  { key: "applied", label: "Applied", right: true, wide: true },
  { key: "failed", label: "Failed", right: true },
  { key: "misdirected", label: "Wrong user", right: true, wide: true },
  { key: "success", label: "Success", right: true },
];

function SortHeader({
  column,
  sort,
  direction,
  query,
}: {
  column: (typeof COLUMNS)[number];
  sort: UserSort;
  direction: SortDirection;
  query: Record<string, string>;
}) {
  const active = column.key === sort;
  const next = active ? (direction === "asc" ? "desc" : "asc") : defaultDirection(column.key);
  return (
    <th
      scope="col"
      aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : undefined}
      className={`px-3 py-2 font-semibold ${column.right ? "text-right" : ""} ${column.wide ? "hidden sm:table-cell" : column.key === "user" ? "" : "w-24 sm:w-auto"}`}
    >
      <Link
        prefetch={false}
        href={withQuery("/users", { ...query, sort: column.key, dir: next })}
        className="text-inherit"
      >
        {column.label}
        <span aria-hidden="true">{active ? (direction === "asc" ? " ▲" : " ▼") : ""}</span>
      </Link>
    </th>
  );
}

/** Training health per user; problem rows stand out. */
export function UserTable({
  users,
  sort,
  direction,
  query,
}: {
  users: readonly UserHealth[];
  sort: UserSort;
  direction: SortDirection;
  query: Record<string, string>;
}) {
  // A server moving from one filter to another has a row per filter a user was judged by: say which.
  const mixed = new Set(users.map((u) => u.filter).filter((f) => f !== null)).size > 1;
  return (
    <Table narrow caption="Training health per user; column headers sort the table">
      <Thead>
        <tr>
          {COLUMNS.map((c) => (
            <SortHeader key={c.key} column={c} sort={sort} direction={direction} query={query} />
          ))}
        </tr>
      </Thead>
      <Tbody>
        {users.map((u) => {
          const trouble = u.retrainsMisdirected > 0 || u.retrainsFailed > 0;
          return (
            <tr
              key={`${u.user}\t${u.filter ?? ""}`}
              className={trouble ? "bg-red-50/60 dark:bg-red-950/30" : undefined}
            >
              <Td>
                <Link href={userHref(u.user)} prefetch={false} className="font-medium break-words">
                  <Clip text={u.user} max={60} soft />
                </Link>{" "}
                {mixed && u.filter ? (
                  <>
                    <Badge tone="violet">{filterLabel(u.filter)}</Badge>{" "}
                  </>
                ) : null}
                {u.isMailbox ? null : <Badge tone="slate">{filterLabel(u.filter ?? "")} only</Badge>}
              </Td>
              <Td right wide>
                <Num value={u.classified} />
              </Td>
              <Td right wide>
                <Num value={u.spam} />
              </Td>
              <Td right wide>
                <Num value={u.innocent} />
              </Td>
              <Td right wide>
                <Num value={u.retrains} />
              </Td>
              <Td right wide>
                <Num value={u.retrainsApplied} />
              </Td>
              <Td right>
                {u.retrainsFailed > 0 ? (
                  <span className="font-semibold text-red-700 dark:text-red-400">
                    <Num value={u.retrainsFailed} />
                  </span>
                ) : (
                  <Num value={0} />
                )}
              </Td>
              <Td right wide>
                {u.retrainsMisdirected > 0 ? (
                  <span className="font-semibold text-red-700 dark:text-red-400">
                    <Num value={u.retrainsMisdirected} />
                  </span>
                ) : (
                  <Num value={0} />
                )}
              </Td>
              <Td right>
                {u.successRate === null ? (
                  <span className="text-slate-400">—</span>
                ) : (
                  `${Math.round(u.successRate * 100)}%`
                )}
              </Td>
            </tr>
          );
        })}
      </Tbody>
    </Table>
  );
}
