import type { FollowStatus, HostFollowStatus, RetentionStatus } from "@/lib/queries/follow-status";
import { Badge, type Tone } from "./ui/badge";
import { Num } from "./ui/number";
import { Time } from "./ui/time";

const STATE: Record<FollowStatus["state"], { tone: Tone; label: string }> = {
  running: { tone: "green", label: "following" },
  stopped: { tone: "slate", label: "stopped" },
  silent: { tone: "red", label: "not responding" },
  never: { tone: "slate", label: "never run" },
};

/** One line per mail server's follower (PostgreSQL): live, catching up, stopped or not responding; which one correlates. */
export function HostFollowLines({ followers }: { followers: HostFollowStatus[] }) {
  return (
    <ul className="mb-4 space-y-1 text-sm text-slate-600 dark:text-slate-300">
      {followers.map((f) => {
        const state = STATE[f.state];
        return (
          <li key={f.host} className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className="font-medium text-slate-900 dark:text-slate-100">Follower of {f.host}</span>
            <Badge tone={state.tone}>{f.catchingUp ? "catching up" : state.label}</Badge>
            {f.leader && <Badge tone="green">correlating</Badge>}
            <span>
              {f.state === "stopped" ? "stopped at " : "last heartbeat "}
              <Time value={f.heartbeatAt} /> (pid {f.pid}, started <Time value={f.startedAt} />
              ): <Num value={f.files} /> files, <Num value={f.linesRead} /> lines read,{" "}
              <Num value={f.linesNew} /> new.
              {f.state === "silent" &&
                " It says it runs, but has not written for minutes: check its service on that host."}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** One line above the sources: is `spamtrail follow` keeping this database current? */
export function FollowStatusLine({
  follow,
  retention,
}: {
  follow: FollowStatus;
  retention: RetentionStatus;
}) {
  const state = STATE[follow.state];
  return (
    <p className="mb-4 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-600 dark:text-slate-300">
      <span className="font-medium text-slate-900 dark:text-slate-100">Live follow</span>
      <Badge tone={state.tone}>{state.label}</Badge>
      {follow.state === "never" ? (
        <span>
          this database was filled by <code className="font-mono">spamtrail ingest</code> only; run{" "}
          <code className="font-mono">spamtrail follow</code> to keep it current.
        </span>
      ) : (
        <span>
          {follow.state === "stopped" ? "stopped at " : "last heartbeat "}
          <Time value={follow.heartbeatAt} /> (pid {follow.pid}, started <Time value={follow.startedAt} />
          ): <Num value={follow.files} /> files, <Num value={follow.linesRead} /> lines read,{" "}
          <Num value={follow.linesNew} /> new.
          {follow.state === "silent" &&
            " It says it runs, but has not written for minutes: check the service."}
        </span>
      )}
      {retention && (
        <span>
          Retention {retention.days} days, last pruned <Time value={retention.lastRunAt} /> (
          <Num value={retention.deleted} /> rows).
        </span>
      )}
    </p>
  );
}
