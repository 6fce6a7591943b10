import Link from "next/link";
import { bytes } from "@/lib/core/format";
import type { SourceHealth } from "@/lib/queries/source-health";
import type { SourceRow } from "@/lib/queries/sources";
import { sourceHref } from "./links";
import { Badge } from "./ui/badge";
import { Clip } from "./ui/clip";
import { Num } from "./ui/number";
import { Time } from "./ui/time";

const KIND_LABELS: Record<string, string> = {
  syslog: "syslog",
  dovecot: "Dovecot log",
  "dspam-system": "DSPAM system.log",
  "dspam-user": "DSPAM user log",
  rspamd: "Rspamd log",
};

function Health({ health }: { health: SourceHealth | undefined }) {
  if (!health) return null;
  return (
    <div className="space-y-0.5 text-xs">
      <div>
        <span className="muted">live read </span>
        {health.lastReadAt ? (
          <Time value={health.lastReadAt} />
        ) : (
          <span className="muted">never (batch only)</span>
        )}
      </div>
      <div>
        {health.missing ? (
          <Badge tone="slate">file gone</Badge>
        ) : health.rotated ? (
          <Badge tone="slate">rotated since</Badge>
        ) : health.behind === null ? (
          <span className="muted">gzip: complete</span>
        ) : health.behind === 0 ? (
          <Badge tone="green">up to date</Badge>
        ) : (
          <Badge tone="amber">{bytes(health.behind)} behind</Badge>
        )}
      </div>
    </div>
  );
}

/** Every ingested file: what it is, how much of it was stored, how current it is, what could not be understood. */
export function SourcesTable({
  sources,
  health,
}: {
  sources: SourceRow[];
  health: Map<number, SourceHealth>;
}) {
  return (
    <div className="panel overflow-x-auto">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Ingested log files</caption>
        <thead className="bg-slate-100 text-left text-xs tracking-wide text-slate-600 uppercase dark:bg-slate-800 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-3 py-2">
              File
            </th>
            <th scope="col" className="px-3 py-2">
              Kind
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Stored
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Already known
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Unparsed
            </th>
            <th scope="col" className="px-3 py-2">
              Last line
            </th>
            <th scope="col" className="px-3 py-2">
              Health
            </th>
            <th scope="col" className="px-3 py-2">
              Programs
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {sources.map((source) => (
            <tr key={source.id} className="align-top">
              <td className="min-w-60 max-w-md px-3 py-2 font-mono text-xs break-words">
                <Link href={sourceHref(source.id)} prefetch={false}>
                  <Clip text={source.path} max={400} soft />
                </Link>
                {source.compressed ? <span className="ml-1 text-slate-500">(gzip)</span> : null}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                {KIND_LABELS[source.kind] ?? source.kind}
                {source.dspamUser ? (
                  <div className="text-xs wrap-anywhere text-slate-500">
                    <Clip text={source.dspamUser} max={120} />
                  </div>
                ) : null}
              </td>
              <td className="px-3 py-2 text-right">
                <Num value={source.linesNew} />
              </td>
              <td className="px-3 py-2 text-right text-slate-500">
                <Num value={source.linesKnown} />
              </td>
              <td className="px-3 py-2 text-right">
                {source.unparsed > 0 ? (
                  <Link
                    href={sourceHref(source.id)}
                    prefetch={false}
                    className="font-medium text-amber-700 dark:text-amber-400"
                  >
                    <Num value={source.unparsed} />
                  </Link>
                ) : (
                  <span className="text-slate-400">0</span>
                )}
              </td>
              <td className="px-3 py-2">
                <Time value={source.lastTs} />
                <div className="text-xs muted">
                  since <Time value={source.firstTs} />
                </div>
              </td>
              <td className="px-3 py-2">
                <Health health={health.get(source.id)} />
              </td>
              <td className="min-w-44 px-3 py-2">
                <ul className="flex flex-wrap gap-1">
                  {source.programs.map((p) => (
                    <li
                      key={p.program}
                      className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800"
                      title={p.unparsed > 0 ? `${p.unparsed} unparsed` : undefined}
                    >
                      <Clip text={p.program} max={60} soft /> <Num value={p.lines} />
                      {p.unparsed > 0 ? (
                        <span className="text-amber-700 dark:text-amber-400"> ({p.unparsed}?)</span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
