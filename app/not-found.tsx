import type { Metadata } from "next";
import { NotFoundPanel } from "@/components/ui/not-found-panel";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-10">
      <NotFoundPanel title="Not found">There is nothing at this address.</NotFoundPanel>
    </main>
  );
}
