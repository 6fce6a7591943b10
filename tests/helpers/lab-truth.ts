import { readFileSync } from "node:fs";
import path from "node:path";
import { LAB } from "./fixtures.ts";

/** The parts of the lab's truth.json the tests compare against (observed on the real server). */
export type TruthMessage = {
  key: string;
  message_id: string;
  origin_class: string;
  sasl_user: string | null;
  postfix_queue_ids: string[];
  actual_receipt_counts: Record<string, number>;
  dspam_classification_users: string[];
  duplicate_deliveries: Record<string, number>;
};

export type TruthTraining = {
  imap_login: string;
  message_id?: string;
  direction?: string;
  classification_dspam_user?: string;
  training_aimed_at_dspam_user?: string | null;
  took_effect_on_classification_user?: boolean;
};

export type LabTruth = {
  messages: TruthMessage[];
  imap_training: TruthTraining[];
  summary: {
    duplicate_deliveries: Record<string, Record<string, number>>;
    outgoing_or_local_mail_that_passed_dspam: Record<string, string[]>;
    training_actions_ineffective_but_imap_ok: string[];
    dspam_users_created_during_phase: string[];
  };
};

export const labTruth = (): LabTruth =>
  JSON.parse(readFileSync(path.join(LAB, "truth.json"), "utf8")) as LabTruth;

/** Message-ID without its angle brackets, as Spamtrail normalises it. */
export const bare = (messageId: string) => messageId.replace(/^<(.*)>$/, "$1");
