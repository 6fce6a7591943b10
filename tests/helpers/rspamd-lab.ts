import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../lib/core/paths.ts";

/** The real Postfix + Rspamd milter + Dovecot IMAPSieve sample (prisma/demo/lab-rspamd/README.md). */
export const RSPAMD_LAB = path.join(projectRoot(), "prisma", "demo", "lab-rspamd");
export const RSPAMD_LAB_LOGS = path.join(RSPAMD_LAB, "logs");

export type RspamdTruthScan = { stats_user: string | null; action: string; score: number; qid: string };

/** The parts of the Rspamd lab's truth.json the tests compare against (observed on the real server). */
export type RspamdTruth = {
  messages: { key: string; message_id: string; rspamd_scans?: RspamdTruthScan[] | null }[];
  imap_training: {
    login: string;
    direction: "learn_spam" | "learn_ham";
    message_id?: string;
    learn_user?: string;
    learn_user_key_used_by_rspamd?: string;
    rspamc_success?: boolean;
    classification_user?: string;
    misdirected?: boolean;
  }[];
  summary: Record<string, unknown> & {
    pitfall_evidence: {
      scans_keyed_by_alias: { key: string; stats_user: string }[];
      copies_classified_under_another_users_bayes: { key: string; mailbox: string; stats_user: string }[];
      misdirected_learn_users: [string, string, string][];
      "non_inbound_spam_verdicts(add header/reject)": string[];
      authenticated_on_port_25: string[];
    };
  };
};

export const rspamdTruth = (): RspamdTruth =>
  JSON.parse(readFileSync(path.join(RSPAMD_LAB, "truth.json"), "utf8")) as RspamdTruth;
