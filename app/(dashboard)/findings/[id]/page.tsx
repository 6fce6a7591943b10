import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FindingDetailSection } from "@/app/_sections/finding-detail";
import { idParam, pageParam } from "@/components/route-param";

export const metadata: Metadata = { title: "Finding" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ page?: string | string[]; refused?: string | string[] }>;
};

export default async function FindingPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { page, refused } = await searchParams;
  const findingId = idParam(id);
  const pageNumber = pageParam(page);
  if (findingId === null || pageNumber === null) notFound();
  return <FindingDetailSection id={findingId} page={pageNumber} refused={refused !== undefined} />;
}
