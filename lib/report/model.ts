// The weekly report as data: what build.ts collects and both renderers (HTML, text) show.
import type { FindingKind, Severity } from "../detect/types.ts";
import type { MessageFilters } from "../queries/message-filters.ts";
import type { Origin, Overview } from "../queries/stats.ts";
import type { UserHealth } from "../queries/users.ts";
import type { ReportConfig } from "./config-section.ts";
import type { DashboardLinks } from "./links.ts";
import type { ReportPeriod } from "./period.ts";

export type VerdictCounts = { spam: number; innocent: number; none: number };

/** A message shown as an example of a finding. */
export type ReportExample = {
  messageId: string;
  subject: string | null;
  sender: string | null;
  ts: Date;
};

export type ReportFinding = {
  id: number;
  kind: FindingKind;
  /** Which cause of the kind it is, in a few words. */
  about: string;
  /** The filter whose words the finding speaks (findings of no filter: DSPAM's, as before filters). */
  filter: string;
  severity: Severity;
  summary: string;
  cause: string;
  fix: string;
  /** Evidence in the period. */
  count: number;
  /** First evidence ever: a finding is new when that lies in the period. */
  firstSeen: Date;
  lastSeen: Date;
  isNew: boolean;
  /** Its messages in the period, as the dashboard lists them (/messages?finding=<id>). */
  messages: number;
  examples: ReportExample[];
};

/** Findings of one kind, with the cause and fix they share (null when they differ). */
export type FindingGroup = {
  kind: FindingKind;
  severity: Severity;
  findings: ReportFinding[];
  /** The group's messages in the period, each once. */
  messages: number;
  cause: string | null;
  fix: string | null;
};

export type DuplicateRow = {
  findingId: number;
  recipient: string;
  messages: number;
  /** Copies beyond the first, summed over the messages. */
  extraCopies: number;
  via: string[];
  example: ReportExample | null;
};

export type UnfilteredRow = {
  /** authenticated (logged-in users), local (scripts, cron), outgoing (to other servers). */
  what: "authenticated" | "local" | "outgoing";
  /** All such messages; null when only the filtered ones are known (outgoing). */
  messages: number | null;
  /** Messages DSPAM judged (the kind's finding), and those it tagged spam: countMessages of `judgedFilter`. */
  judged: number;
  taggedSpam: number;
  judgedFilter: Omit<MessageFilters, "since" | "until">;
  /** Senders or logins, from the findings. */
  who: string[];
  findingIds: number[];
};

export type VolumeRow = {
  origin: Origin | "total";
  current: VerdictCounts & { total: number };
  previousTotal: number;
};

export type DayVolume = { day: string } & VerdictCounts;

export type ReportStatus = "healthy" | "attention" | "no-data";

export type ReportVerdict = {
  status: ReportStatus;
  /** One line: "healthy" or what needs attention. */
  headline: string;
  /** A few words for the mail's subject: "healthy", "needs attention: 4 high, 11 medium findings". */
  short: string;
  /** Short phrases, most severe first. */
  reasons: string[];
};

export type ReportData = {
  period: ReportPeriod;
  previous: ReportPeriod;
  generatedAt: Date;
  hosts: string[];
  /** The one mail server the report is limited to, or null for all of them. */
  host: string | null;
  /** Each mail server's messages and spam verdicts in the period (a message on several counts on each). */
  servers: { host: string; messages: number; spam: number }[];
  verdict: ReportVerdict;
  overview: Overview;
  previousOverview: Overview;
  findings: {
    newGroups: FindingGroup[];
    ongoingGroups: FindingGroup[];
    newCount: number;
    ongoingCount: number;
    /** Open findings seen before the period but not in it (fixed, or quiet). */
    quiet: number;
    /** Acknowledged or muted findings that had evidence in the period (not listed). */
    silenced: number;
    /** Every finding still open at the end of the period (seen in it or before), by severity. */
    openTotal: { high: number; medium: number; low: number };
  };
  duplicates: DuplicateRow[];
  training: {
    rows: UserHealth[];
    /** Mailboxes that received mail but retrained nothing. */
    idleMailboxes: number;
  };
  unfiltered: UnfilteredRow[];
  volumes: VolumeRow[];
  daily: DayVolume[];
  /** The latest configuration audit (spamtrail audit --db, follow); null when none is stored. */
  config: ReportConfig;
};

/** What a renderer needs: the data, and the dashboard links (null without SPAMTRAIL_BASE_URL). */
export type RenderContext = { data: ReportData; links: DashboardLinks | null };
