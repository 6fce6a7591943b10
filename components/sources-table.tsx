import type { SourceRow } from "@/lib/queries/sources";
import { Num } from "./ui/number";
import { Time } from "./ui/time";

const KIND_LABELS: Record<string, string> = {
  syslog: "syslog",
  dovecot: "Dovecot log",
  "dspam-system": "DSPAM system.log",
  "dspam-user": "DSPAM user log",
};

/** Every ingested file: what it is, how much of it was stored, and what could not be understood. */
export function SourcesTable({ sources }: { sources: SourceRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-800 dark:text-slate-300">
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
              First line
            </th>
            <th scope="col" className="px-3 py-2">
              Last line
            </th>
            <th scope="col" className="px-3 py-2">
              Programs
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {sources.map((source) => (
            <tr key={source.id} className="align-top">
              <td className="max-w-xs px-3 py-2 font-mono text-xs break-all">
                <a href={`/sources/${source.id}`}>{source.path}</a>
                {source.compressed ? <span className="ml-1 text-slate-500">(gzip)</span> : null}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                {KIND_LABELS[source.kind] ?? source.kind}
                {source.dspamUser ? <div className="text-xs text-slate-500">{source.dspamUser}</div> : null}
              </td>
              <td className="px-3 py-2 text-right">
                <Num value={source.linesNew} />
              </td>
              <td className="px-3 py-2 text-right text-slate-500">
                <Num value={source.linesKnown} />
              </td>
              <td className="px-3 py-2 text-right">
                {source.unparsed > 0 ? (
                  <a
                    href={`/sources/${source.id}`}
                    className="font-medium text-amber-700 dark:text-amber-400"
                  >
                    <Num value={source.unparsed} />
                  </a>
                ) : (
                  <span className="text-slate-400">0</span>
                )}
              </td>
              <td className="px-3 py-2">
                <Time value={source.firstTs} />
              </td>
              <td className="px-3 py-2">
                <Time value={source.lastTs} />
              </td>
              <td className="px-3 py-2">
                <ul className="flex flex-wrap gap-1">
                  {source.programs.map((p) => (
                    <li
                      key={p.program}
                      className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800"
                      title={p.unparsed > 0 ? `${p.unparsed} unparsed` : undefined}
                    >
                      {p.program} <Num value={p.lines} />
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
