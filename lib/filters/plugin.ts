// What a content filter plug-in tells the rest of Spamtrail (lib/filters/registry.ts lists them).
// The correlator, detectors, pages and report ask the registry, never a filter's name.
import type { DecodedLine } from "../ingest/decode-line.ts";
import type { FileKind } from "../ingest/file-kind.ts";
import type { YearResolver } from "../syslog/year-resolver.ts";
import type { FilterName } from "./verdict.ts";

/**
 * How mail reaches the filter. after-queue: Postfix's content_filter hands the message to it and it
 * reinjects each judged copy as a new queue (DSPAM), so a verdict belongs to the reinjected queue it
 * was made for. milter: the filter scans the SMTP transaction before the queue's first delivery
 * (Rspamd), so a verdict belongs to the queue it scanned and every delivery of it carries it.
 */
export type FilterReach = "after-queue" | "milter";

export type FilterPlugin = {
  name: FilterName;
  /** The product's own spelling, as pages and the report name it. */
  label: string;
  /** What the filter calls the owner of a statistics store (DSPAM: a user; Rspamd: a Bayes user). */
  userWord: string;
  reach: FilterReach;
  /** The file kinds of the filter's own logs (lines of it in syslog are routed by program name). */
  fileKinds: readonly FileKind[];
  /**
   * Decodes a line of one of those files; fileUser: the statistics user a per-user file's path
   * names; years: the file's year resolver (for dates without a year or zone). Null: the line is
   * not of the file's own format, and is read as a syslog line.
   */
  decodeFileLine?: (
    text: string,
    kind: FileKind,
    fileUser: string | undefined,
    years: YearResolver,
  ) => DecodedLine | null;
  /**
   * Whether a retrain the filter did not apply still counts as aimed at the wrong user. DSPAM: yes,
   * its refusal ("Unable to find a valid signature") is what aiming at another user's dictionary
   * looks like. Rspamd: no, a refused learn ("all learn conditions denied…") went into no Bayes at
   * all, and is a failed training only.
   */
  unappliedCanBeMisdirected: boolean;
  /** Verdict.result words that put the message among spam, and those that let it through as wanted. */
  spamResults: readonly string[];
  hamResults: readonly string[];
};
