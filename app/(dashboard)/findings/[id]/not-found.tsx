import { NotFoundPanel } from "@/components/ui/not-found-panel";

export default function FindingNotFound() {
  return (
    <NotFoundPanel title="No such finding">
      This finding does not exist (any more): a finding whose evidence is gone disappears unless someone
      acknowledged or muted it.
    </NotFoundPanel>
  );
}
