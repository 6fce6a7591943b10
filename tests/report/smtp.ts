// Starts tests/report/smtp-sink.ts in a child process and collects what it receives.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";

export type ReceivedMail = { from: string | null; to: string[]; raw: Buffer };

export type SmtpSink = {
  port: number;
  messages: ReceivedMail[];
  logins: { user: string; ok: boolean }[];
  stop(): Promise<void>;
};

const SINK = path.join(path.dirname(fileURLToPath(import.meta.url)), "smtp-sink.ts");

/** Spawns a real SMTP server on 127.0.0.1 (a free port); stopped when the test file ends (or by stop()). */
export async function startSmtpSink(
  options: { auth?: { user: string; password: string }; rejectRecipients?: string[] } = {},
): Promise<SmtpSink> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", SINK, JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const sink: SmtpSink = { port: 0, messages: [], logins: [], stop: () => stopChild(child) };
  after(() => sink.stop());
  await new Promise<void>((resolve, reject) => {
    let buffer = "";
    child.once("exit", (code) => reject(new Error(`smtp sink exited with ${code} before listening`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const event = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        if (event.event === "listening") {
          sink.port = Number(event.port);
          resolve();
        } else if (event.event === "message") {
          sink.messages.push({
            from: event.from as string | null,
            to: event.to as string[],
            raw: Buffer.from(String(event.raw), "base64"),
          });
        } else if (event.event === "auth") {
          sink.logins.push({ user: String(event.user), ok: event.ok === true });
        }
      }
    });
  });
  return sink;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** A port on 127.0.0.1 where nothing listens (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
