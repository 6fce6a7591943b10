import Link from "next/link";
import type { AuditResult } from "@/lib/audit/types";
import { findingHref, withQuery } from "../links";
import { Badge, SeverityBadge } from "../ui/badge";

const STATUS_TONE = {
  confirmed: "red",
  predicted: "amber",
  unexplained: "violet",
  "not-checked": "slate",
} as const;

/** The file and line a result points at, as the admin opens it. */
export function ConfigLocation({ result }: { result: Pick<AuditResult, "file" | "line"> }) {
  if (!result.file) return null;
  return (
    <code className="font-mono text-xs break-all">
      {result.file}
      {result.line ? `:${result.line}` : ""}
    </code>
  );
}

/** One audit result: where, what is wrong, the exact fix, and what the logs say about it. */
export function AuditResultCard({ result }: { result: AuditResult }) {
  return (
    <article
      className="mb-4 rounded-lg border border-slate-200 p-4 dark:border-slate-700"
      data-check={result.check}
    >
      <header className="mb-2 flex flex-wrap items-center gap-2">
        <SeverityBadge severity={result.severity} />
        <h3 className="font-mono text-sm font-semibold">{result.check}</h3>
        <Badge tone={STATUS_TONE[result.evidenceStatus]}>{result.evidenceStatus}</Badge>
        {result.service ? <span className="text-xs muted">{result.service}</span> : null}
      </header>
      <p className="mb-2 text-sm">
        <ConfigLocation result={result} />
        {result.setting ? (
          <>
            {" "}
            <code className="font-mono text-xs">
              {result.setting} = {result.value ?? ""}
            </code>
          </>
        ) : null}
      </p>
      <p className="mb-2 text-sm">{result.problem}</p>
      <p className="mb-1 text-sm font-medium">Fix</p>
      <pre className="mb-2 overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
        {result.fix}
      </pre>
      <EvidenceLine result={result} />
    </article>
  );
}

/** The log evidence beside a result: counts and links to the findings that show it. */
function EvidenceLine({ result }: { result: AuditResult }) {
  if (result.evidence.length === 0) return null;
  return (
    <div className="text-sm">
      {result.evidenceNote ? <p className="muted">{result.evidenceNote}</p> : null}
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {result.evidence.map((e) => (
          <li key={e.kind}>
            <Link prefetch={false} href={withQuery("/findings", { kind: e.kind, status: "all" })}>
              {e.kind}
            </Link>
            {e.messages
              ? `: ${e.messages} message${e.messages === 1 ? "" : "s"}`
              : e.users
                ? `: ${e.users} user${e.users === 1 ? "" : "s"}`
                : ""}
            {(e.findingIds ?? []).slice(0, 5).map((id) => (
              <span key={id}>
                {" "}
                <Link prefetch={false} href={findingHref(id)}>
                  #{id}
                </Link>
              </span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
