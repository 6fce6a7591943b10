import { NotFoundPanel } from "@/components/ui/not-found-panel";

export default function SourceNotFound() {
  return <NotFoundPanel title="No such source">No ingested file has this number.</NotFoundPanel>;
}
