import { Empty } from "@/components/ui/empty";
import { Section } from "@/components/ui/section";
import { type TrainingLine, TrainingTable } from "@/components/users/training-table";
import { UserTable } from "@/components/users/user-table";
import { readUserHealth } from "@/lib/queries/dashboard-reads";
import { getMisdirectedTrainings } from "@/lib/queries/misdirected";
import type { TimeRange } from "@/lib/queries/stats";
import { type SortDirection, sortUsers, type UserSort } from "@/lib/queries/user-sort";

/** Retrains that reached the wrong DSPAM user, then the health table of every user. */
export async function UsersListSection({
  range,
  sort,
  direction,
  show,
  query,
}: {
  range: TimeRange;
  sort: UserSort;
  direction: SortDirection;
  show: "all" | "mailboxes";
  query: Record<string, string>;
}) {
  const [users, misdirected] = await Promise.all([readUserHealth(range), getMisdirectedTrainings(range)]);
  const shown = sortUsers(show === "mailboxes" ? users.filter((u) => u.isMailbox) : users, sort, direction);
  const lines: TrainingLine[] = misdirected.map((t) => ({ ...t, misdirected: true }));
  return (
    <>
      <Section
        title="Retraining that reached the wrong DSPAM user"
        id="misdirected"
        aside={misdirected.length ? `${misdirected.length} in this range` : undefined}
      >
        {lines.length === 0 ? (
          <Empty>None: every retrain went to the DSPAM user that had classified the mail.</Empty>
        ) : (
          <>
            <p className="mb-3 max-w-3xl text-sm muted">
              The user moved the mail and the mail client showed success, but DSPAM was told to retrain
              another user than the one whose dictionary judged the mail: nothing was learnt.
            </p>
            <TrainingTable caption="Misdirected retrains" trainings={lines} />
          </>
        )}
      </Section>
      <Section title="Training health per user" id="users">
        {shown.length === 0 ? (
          <Empty>No user in this range.</Empty>
        ) : (
          <UserTable users={shown} sort={sort} direction={direction} query={query} />
        )}
      </Section>
    </>
  );
}
