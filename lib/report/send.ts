// Sends the report through SMTP with nodemailer, and turns what the server said into one clear sentence.
import nodemailer from "nodemailer";
import type { SmtpConfig } from "./config.ts";

export type OutgoingMail = {
  from: string;
  to: readonly string[];
  subject: string;
  html: string;
  text: string;
};

export type SendResult = {
  /** Recipients the server accepted, and refused (the mail went to the accepted ones). */
  accepted: string[];
  rejected: string[];
  response: string;
  messageId: string;
};

/** Sends one mail; the report job takes any function of this shape (tests pass a fake). */
export type MailSender = (mail: OutgoingMail) => Promise<SendResult>;

/** The mail was not sent: `message` says what the server (or the network) refused. */
export class SendError extends Error {
  override name = "SendError";
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

type NodemailerError = Error & { code?: string; response?: string; responseCode?: number; command?: string };

/** A MailSender for an SMTP server. */
export function smtpSender(smtp: SmtpConfig): MailSender {
  return async (mail) => {
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === "tls",
      requireTLS: smtp.security === "starttls",
      ignoreTLS: smtp.security === "none",
      auth: smtp.user !== null ? { user: smtp.user, pass: smtp.password ?? "" } : undefined,
      connectionTimeout: smtp.timeoutMs,
      greetingTimeout: smtp.timeoutMs,
      socketTimeout: smtp.timeoutMs,
    });
    try {
      const info = await transport.sendMail({
        from: mail.from,
        to: [...mail.to],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
      });
      return {
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
        messageId: info.messageId,
      };
    } catch (error) {
      throw new SendError(
        describeSmtpError(error as NodemailerError, smtp),
        (error as NodemailerError).code ?? null,
      );
    } finally {
      transport.close();
    }
  };
}

/** One sentence for a failed send: what was refused, by whom, and which setting to look at. */
export function describeSmtpError(error: NodemailerError, smtp: SmtpConfig): string {
  const server = `${smtp.host}:${smtp.port}`;
  const said = error.response ? `: ${oneLine(error.response)}` : "";
  const detail = oneLine(error.message);
  switch (error.code) {
    case "EAUTH":
      return `the SMTP server ${server} refused the login of '${smtp.user ?? ""}'${said || `: ${detail}`} (check SPAMTRAIL_SMTP_USER and SPAMTRAIL_SMTP_PASSWORD)`;
    case "ENOAUTH":
      return `the SMTP server ${server} needs a login: set SPAMTRAIL_SMTP_USER and SPAMTRAIL_SMTP_PASSWORD`;
    case "EENVELOPE":
      return `the SMTP server ${server} refused the sender or the recipients${said || `: ${detail}`} (check SPAMTRAIL_REPORT_FROM and the recipients)`;
    case "EMESSAGE":
      return `the SMTP server ${server} refused the message${said || `: ${detail}`}`;
    case "ETLS":
    case "EREQUIRETLS":
      return `TLS with the SMTP server ${server} failed: ${detail} (check SPAMTRAIL_SMTP_SECURE; a server on this machine can be used with SPAMTRAIL_SMTP_SECURE=none)`;
    case "EDNS":
      return `cannot resolve the SMTP server name '${smtp.host}': ${detail} (check SPAMTRAIL_SMTP_HOST)`;
    case "ETIMEDOUT":
      return `the SMTP server ${server} did not answer in time: ${detail}`;
    case "ECONNECTION":
    case "ESOCKET":
      return `cannot talk to the SMTP server ${server}: ${connectionReason(detail)} (check SPAMTRAIL_SMTP_HOST, SPAMTRAIL_SMTP_PORT and SPAMTRAIL_SMTP_SECURE)`;
    default:
      return `sending through ${server} failed${said || `: ${detail}`}`;
  }
}

function connectionReason(detail: string): string {
  if (/ECONNREFUSED/.test(detail)) return "connection refused (nothing listens there)";
  if (/EHOSTUNREACH|ENETUNREACH/.test(detail)) return "host unreachable";
  if (/wrong version number|WRONG_VERSION_NUMBER/i.test(detail)) {
    return "TLS mismatch (port 465 wants SPAMTRAIL_SMTP_SECURE=tls, ports 25 and 587 do not)";
  }
  return detail;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
