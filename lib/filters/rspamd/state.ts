// Rspamd's part of the correlator's open state: plain data, saved in its snapshot.
import type { ControllerLearnState, LearnRunState } from "./join-learns.ts";

/** A Bayes user a stat_redis line named for a task whose task line has not come yet. */
export type TaskBayesState = { key: string; user: string | null; ts: number; lineId: number };

/** Rspamd's part of the correlator's open state (plain data, saved in its snapshot). */
export type RspamdState = {
  taskUsers: TaskBayesState[];
  /** False once a stat_redis line named the global Bayes (users_enabled off); null until a line tells. */
  usersEnabled: boolean | null;
  learns: ControllerLearnState[];
  runs: LearnRunState[];
};

export const emptyRspamdState = (): RspamdState => ({
  taskUsers: [],
  usersEnabled: null,
  learns: [],
  runs: [],
});
