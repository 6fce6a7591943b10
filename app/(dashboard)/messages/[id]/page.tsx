import type { Metadata } from "next";
import { Suspense } from "react";
import { MessageDetailSection } from "@/app/_sections/message-detail";
import { decodeSegment } from "@/components/route-param";
import { PageSkeleton } from "@/components/ui/skeleton";
import { showInvisible } from "@/lib/core/visible-text";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = decodeSegment((await params).id);
  const shown = showInvisible(id);
  return { title: `Message ${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}` };
}

export default async function MessagePage({ params }: Props) {
  const id = decodeSegment((await params).id);
  return (
    <Suspense fallback={<PageSkeleton />}>
      <MessageDetailSection id={id} />
    </Suspense>
  );
}
