// The line every task writes when it has parsed its message: the join from a task id to the
// Message-ID and queue id (the controller's learn tasks have no task log line, only this one).

export type LoadedMessage = {
  kind: "rspamd.message";
  messageId: string | null;
  /** The MTA's queue id; null when the client sent none (rspamc, the controller: `<undef>`). */
  qid: string | null;
  size: number | null;
};

// rspamd_message_parse: loaded message; id: <1796.p2774@greatdeals.test>; queue-id: <undef>; size: 837; checksum: <4b11…>
const LOADED = /^loaded message; id: <([^<>]*)>; queue-id: <([^<>]*)>; size: (\d+)/;

/** Parses rspamd_message_parse's `loaded message` line; null for its other (debug) lines. */
export function parseLoadedMessage(message: string): LoadedMessage | null {
  const m = LOADED.exec(message);
  if (!m) return null;
  const messageId = m[1] as string;
  const qid = m[2] as string;
  return {
    kind: "rspamd.message",
    messageId: messageId === "" || messageId === "undef" ? null : messageId,
    qid: qid === "" || qid === "undef" ? null : qid,
    size: Number(m[3]),
  };
}
