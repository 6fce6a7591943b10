import { NotFoundPanel } from "@/components/ui/not-found-panel";

export default function MessageNotFound() {
  return (
    <NotFoundPanel title="No such message">
      No message has this Message-ID or queue id. Search by sender, recipient or time on the Messages page;
      the logs holding it may not be ingested yet.
    </NotFoundPanel>
  );
}
