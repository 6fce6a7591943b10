import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { getSourceIssues, getSources } from "@/lib/queries/sources";

export const metadata: Metadata = { title: "Source" };

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const sourceId = Number(id);
  if (!Number.isInteger(sourceId)) notFound();
  const source = (await getSources()).find((s) => s.id === sourceId);
  if (!source) notFound();
  const issues = await getSourceIssues(sourceId, 200);
  return (
    <>
      <PageHeader title={source.path}>
        Lines that could not be understood or had to be repaired to be stored. They are kept, and counted on
        the Sources page; nothing is dropped.
      </PageHeader>
      {issues.length === 0 ? (
        <p className="text-slate-600 dark:text-slate-400">Every line of this file was understood.</p>
      ) : (
        <ol className="space-y-2">
          {issues.map((issue) => (
            <li
              key={issue.lineId}
              className="rounded border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900"
            >
              <div className="text-xs text-slate-500">
                line {issue.lineNo} ·{" "}
                <span className="font-medium text-amber-700 dark:text-amber-400">{issue.reason}</span>
                {issue.detail ? ` · ${issue.detail}` : null}
              </div>
              <pre className="mt-1 overflow-x-auto font-mono text-xs whitespace-pre-wrap break-all">
                {issue.raw}
              </pre>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
