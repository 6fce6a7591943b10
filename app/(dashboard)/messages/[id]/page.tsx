import type { Metadata } from "next";
import { Suspense } from "react";
import { MessageDetailSection } from "@/app/_sections/message-detail";
import { decodeSegment } from "@/components/route-param";
import { PageSkeleton } from "@/components/ui/skeleton";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = decodeSegment((await params).id);
  return { title: `Message ${id.length > 60 ? `${id.slice(0, 60)}…` : id}` };
}

export default async function MessagePage({ params }: Props) {
  const id = decodeSegment((await params).id);
  return (
    <Suspense fallback={<PageSkeleton />}>
      <MessageDetailSection id={id} />
    </Suspense>
  );
}
