import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SourceIssuesSection } from "@/app/_sections/source-issues";
import { idParam } from "@/components/route-param";

export const metadata: Metadata = { title: "Source" };

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const sourceId = idParam(id);
  if (sourceId === null) notFound();
  return <SourceIssuesSection sourceId={sourceId} />;
}
