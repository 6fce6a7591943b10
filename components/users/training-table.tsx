import Link from "next/link";
import { messageHref, userHref } from "../links";
import { Badge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { TrainingOutcome } from "../ui/status-badge";
import { Table, Tbody, Td, Th, Thead } from "../ui/table";
import { Time } from "../ui/time";

export type TrainingLine = {
  id: number;
  ts: Date;
  login: string | null;
  target: string | null;
  classifiedBy: string | null;
  direction: string;
  outcome: string;
  messageId: string | null;
  misdirected: boolean;
};

const UserLink = ({ user }: { user: string | null }) =>
  user ? (
    <Link href={userHref(user)} prefetch={false} className="break-words">
      <Clip text={user} max={60} soft />
    </Link>
  ) : (
    <span className="text-slate-400">—</span>
  );

/** Retrainings: who moved the mail, which statistics user learnt (or not), which one had classified it. */
export function TrainingTable({
  caption,
  trainings,
  userWord,
}: {
  caption: string;
  trainings: readonly TrainingLine[];
  /** The database's filter's word for its statistics user (lib/filters/registry.ts filtersUserWord). */
  userWord: string;
}) {
  return (
    <Table narrow caption={caption}>
      <Thead>
        <tr>
          <Th wide>When</Th>
          <Th>IMAP login</Th>
          <Th wide>As</Th>
          <Th>Retrained {userWord}</Th>
          <Th>Classified by</Th>
          <Th wide>Outcome</Th>
          <Th wide>Message</Th>
        </tr>
      </Thead>
      <Tbody>
        {trainings.map((t) => (
          <tr key={t.id} className={t.misdirected ? "bg-red-50/60 dark:bg-red-950/30" : undefined}>
            <Td wide>
              <Time value={t.ts} />
            </Td>
            <Td>
              <span className="font-medium break-words">
                <Clip text={t.login} max={60} soft />
              </span>
            </Td>
            <Td wide>{t.direction}</Td>
            <Td>
              <UserLink user={t.target} /> {t.misdirected ? <Badge tone="red">wrong user</Badge> : null}
              {/* The outcome column needs 640 px; a phone shows the outcome here. */}
              <span className="mt-1 block sm:hidden">
                <TrainingOutcome outcome={t.outcome} />
              </span>
            </Td>
            <Td>
              <UserLink user={t.classifiedBy} />
            </Td>
            <Td wide>
              <TrainingOutcome outcome={t.outcome} />
            </Td>
            <Td mono wrap wide>
              {t.messageId ? (
                <Link href={messageHref(t.messageId)} prefetch={false}>
                  <Clip text={t.messageId} max={50} />
                </Link>
              ) : (
                "—"
              )}
            </Td>
          </tr>
        ))}
      </Tbody>
    </Table>
  );
}
