import { NotFoundPanel } from "@/components/ui/not-found-panel";

export default function NotFound() {
  return <NotFoundPanel title="Not found">There is nothing at this address.</NotFoundPanel>;
}
