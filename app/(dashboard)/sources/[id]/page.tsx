import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SourceIssuesSection } from "@/app/_sections/source-issues";

export const metadata: Metadata = { title: "Source" };

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d{1,9}$/.test(id)) notFound();
  return <SourceIssuesSection sourceId={Number(id)} />;
}
