import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FindingDetailSection } from "@/app/_sections/finding-detail";

export const metadata: Metadata = { title: "Finding" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ page?: string | string[]; refused?: string | string[] }>;
};

export default async function FindingPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { page, refused } = await searchParams;
  const findingId = Number(id);
  if (!/^\d{1,9}$/.test(id) || findingId <= 0) notFound();
  const pageNumber = Number(Array.isArray(page) ? page[0] : page);
  return (
    <FindingDetailSection
      id={findingId}
      page={Number.isInteger(pageNumber) && pageNumber > 0 ? pageNumber : 1}
      refused={refused !== undefined}
    />
  );
}
