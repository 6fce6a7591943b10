import { readFileSync } from "node:fs";
import path from "node:path";
import { LAB } from "./fixtures.ts";

/** The parts of the lab's truth.json the tests compare against (observed on the real server). */
export type TruthMessage = {
  key: string;
  message_id: string;
  origin_class: string;
  sasl_user: string | null;
  envelope_to: string[];
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

/**
 * Mail that should not pass DSPAM but did, and the recipients of the copies DSPAM judged: the copies
 * truth.json saw delivered, and the copies that bounced or were deferred — a message from a local
 * or authenticated sender that DSPAM reinjected (a second Postfix queue) for an address DSPAM
 * created a dictionary for during the capture (DSPAM's own data shows it judged that copy).
 */
export function judgedOutgoingOrLocal(truth: LabTruth): Record<string, string[]> {
  const delivered = truth.summary.outgoing_or_local_mail_that_passed_dspam;
  const created = new Set(truth.summary.dspam_users_created_during_phase);
  const undelivered = truth.messages
    .filter((m) => m.origin_class !== "inbound" && !(m.key in delivered) && m.postfix_queue_ids.length > 1)
    .filter((m) => m.envelope_to.every((to) => created.has(to)))
    .map((m) => [m.key, m.envelope_to] as const);
  return { ...delivered, ...Object.fromEntries(undelivered) };
}

/** Message-ID without its angle brackets, as Spamtrail normalises it. */
export const bare = (messageId: string) => messageId.replace(/^<(.*)>$/, "$1");
