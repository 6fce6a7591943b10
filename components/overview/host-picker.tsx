import Link from "next/link";
import { readHosts } from "@/lib/queries/dashboard-reads";
import { type ResolvedRange, rangeQuery } from "@/lib/queries/time-range";
import { withQuery } from "../links";

/**
 * The mail servers as links (`?host=`), shown when the database holds more than one: every number
 * and list of the page is then of the messages that touched that server. `keep` are the page's
 * other parameters; the range is kept.
 */
export async function HostPicker({
  path,
  range,
  keep = {},
}: {
  path: string;
  range: ResolvedRange;
  keep?: Record<string, string>;
}) {
  const { value: hosts } = await readHosts();
  if (hosts.length < 2 && !range.host) return null;
  const choices: { host: string | null; label: string }[] = [
    { host: null, label: "All servers" },
    ...hosts.map((host) => ({ host, label: host })),
  ];
  return (
    <nav aria-label="Mail server" className="flex flex-wrap gap-1">
      {choices.map(({ host, label }) => {
        const current = (range.host ?? null) === host;
        return (
          <Link
            prefetch={false}
            key={label}
            href={withQuery(path, { ...keep, ...rangeQuery(range), host })}
            aria-current={current ? "true" : undefined}
            className={`btn px-2 py-1 text-xs ${current ? "btn-primary" : ""}`}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
