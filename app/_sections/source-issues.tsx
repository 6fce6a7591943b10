import { notFound } from "next/navigation";
import { Clip } from "@/components/ui/clip";
import { Empty } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { shownLine } from "@/components/ui/raw-lines";
import { getSourceIssues, getSources } from "@/lib/queries/sources";

/** One file's lines that could not be understood or had to be repaired. */
export async function SourceIssuesSection({ sourceId }: { sourceId: number }) {
  const source = (await getSources()).find((s) => s.id === sourceId);
  if (!source) notFound();
  const issues = await getSourceIssues(sourceId, 200);
  return (
    <>
      <PageHeader title={<Clip text={source.path} max={400} className="font-mono text-lg wrap-anywhere" />}>
        Lines that could not be understood or had to be repaired to be stored. They are kept, and counted on
        the Sources page; nothing is dropped. The newest 200 are shown.
      </PageHeader>
      {issues.length === 0 ? (
        <Empty>Every line of this file was understood.</Empty>
      ) : (
        <ol className="space-y-2">
          {issues.map((issue) => (
            <li key={issue.lineId} className="panel p-2">
              <div className="text-xs text-slate-500">
                line {issue.lineNo} ·{" "}
                <span className="font-medium text-amber-700 dark:text-amber-400">{issue.reason}</span>
                {issue.detail ? (
                  <>
                    {" · "}
                    <Clip text={issue.detail} max={300} />
                  </>
                ) : null}
              </div>
              <pre className="mt-1 overflow-x-auto font-mono text-xs whitespace-pre-wrap wrap-anywhere">
                {shownLine(issue.raw)}
              </pre>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
