import Link from "next/link";
import { trainingsHref } from "@/components/links";
import { Empty } from "@/components/ui/empty";
import { Section } from "@/components/ui/section";
import { TrainingTable } from "@/components/users/training-table";
import { UserTable } from "@/components/users/user-table";
import { FINDING_DEFINITIONS } from "@/lib/detect/kinds";
import type { FindingKind } from "@/lib/detect/types";
import { sentence } from "@/lib/detect/words";
import { filtersLabel, filtersUserWord } from "@/lib/filters/registry";
import { readFiltersInUse, readUserHealth } from "@/lib/queries/dashboard-reads";
import { getFindingUsers } from "@/lib/queries/finding-users";
import { hasMail, noMailLogged } from "@/lib/queries/range-activity";
import type { TimeRange } from "@/lib/queries/stats";
import { listTrainings, TRAINING_FILTERS, type TrainingFilter } from "@/lib/queries/trainings";
import { type SortDirection, sortUsers, type UserSort } from "@/lib/queries/user-sort";
import type { UserHealth } from "@/lib/queries/users";

// The wrong user is named in the words of the database's filter ("DSPAM user", "Bayes user").
const outcomeLabels = (userWord: string): Record<TrainingFilter, string> => ({
  all: "all",
  applied: "applied",
  failed: "failed",
  unknown: "outcome unknown",
  misdirected: `to the wrong ${userWord}`,
});

/** An empty health row, for a user a finding names who had no verdict or retraining in the range. */
const noActivity = (user: string): UserHealth => ({
  filter: null,
  user,
  isMailbox: false,
  classified: 0,
  spam: 0,
  innocent: 0,
  retrains: 0,
  retrainsApplied: 0,
  retrainsFailed: 0,
  retrainsMisdirected: 0,
  successRate: null,
  firstSeen: null,
  lastSeen: null,
});

/** The retrainings of the range by outcome, then the health table of every user (or of the users some findings name). */
export async function UsersListSection({
  range,
  sort,
  direction,
  show,
  retrains,
  findings,
  query,
}: {
  range: TimeRange;
  sort: UserSort;
  direction: SortDirection;
  show: "all" | "mailboxes";
  retrains: TrainingFilter;
  findings: FindingKind[];
  query: Record<string, string>;
}) {
  const [health, trainings, named, anyMail, filters] = await Promise.all([
    readUserHealth(range),
    listTrainings({ ...range, outcome: retrains }),
    findings.length ? getFindingUsers(findings, range) : Promise.resolve(null),
    hasMail(range),
    readFiltersInUse(),
  ]);
  const OUTCOME_LABELS = outcomeLabels(filtersUserWord(filters));
  if (!anyMail) return <Empty>{noMailLogged(range)}</Empty>;
  // A user judged by two filters (a server moving from one to the other) has a row for each.
  const byUser = new Map<string, UserHealth[]>();
  for (const u of health) byUser.set(u.user, [...(byUser.get(u.user) ?? []), u]);
  const users = named ? named.flatMap((user) => byUser.get(user) ?? [noActivity(user)]) : health;
  const shown = sortUsers(show === "mailboxes" ? users.filter((u) => u.isMailbox) : users, sort, direction);
  const rangeOnly = Object.fromEntries(
    Object.entries(query).filter(([k]) => k === "from" || k === "to" || k === "range" || k === "host"),
  );
  return (
    <>
      <Section
        title="Retraining in this range"
        id="retraining"
        aside={`${trainings.total.toLocaleString("en-US")} ${OUTCOME_LABELS[retrains]}`}
      >
        <nav aria-label="Retraining outcome" className="mb-3 flex flex-wrap gap-1 text-sm">
          {TRAINING_FILTERS.map((outcome) => (
            <Link
              key={outcome}
              prefetch={false}
              href={trainingsHref(outcome, rangeOnly)}
              aria-current={outcome === retrains ? "true" : undefined}
              className={`btn px-2 py-1 text-xs ${outcome === retrains ? "btn-primary" : ""}`}
            >
              {OUTCOME_LABELS[outcome]}
            </Link>
          ))}
        </nav>
        {trainings.total === 0 ? (
          <Empty>
            No retraining {retrains === "all" ? "" : `${OUTCOME_LABELS[retrains]} `}in this range.
          </Empty>
        ) : (
          <>
            {retrains === "misdirected" ? (
              <p className="mb-3 max-w-3xl text-sm muted">
                The user moved the mail and the mail client showed success, but {filtersLabel(filters)} was
                told to retrain another user than the one whose dictionary judged the mail: nothing was
                learnt.
              </p>
            ) : null}
            <TrainingTable
              caption={`Retrainings: ${OUTCOME_LABELS[retrains]}`}
              trainings={trainings.rows}
              userWord={filtersUserWord(filters)}
            />
            {trainings.total > trainings.rows.length ? (
              <p className="mt-2 text-sm muted">
                The newest {trainings.rows.length.toLocaleString("en-US")} of{" "}
                {trainings.total.toLocaleString("en-US")}.
              </p>
            ) : null}
          </>
        )}
      </Section>
      <Section
        title={
          named
            ? `${sentence(filtersUserWord(filters))}s named by ${findings.map((k) => FINDING_DEFINITIONS[k].title).join(" or ")}`
            : "Training health per user"
        }
        id="users"
        aside={`${shown.length.toLocaleString("en-US")} user${shown.length === 1 ? "" : "s"}`}
      >
        {shown.length === 0 ? (
          <Empty>No user in this range.</Empty>
        ) : (
          <UserTable users={shown} sort={sort} direction={direction} query={query} />
        )}
      </Section>
    </>
  );
}
