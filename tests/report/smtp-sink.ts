// A real SMTP server (the smtp-server package) for the report's tests, run as a child process:
// `node --import tsx tests/report/smtp-sink.ts '{"auth":{"user":"u","password":"p"}}'`.
// Listens on 127.0.0.1 on a free port and prints one JSON line per event on stdout:
// {"event":"listening","port":N}, {"event":"message","from":…,"to":[…],"raw":"<base64>"}, {"event":"auth",…}.
import { SMTPServer } from "smtp-server";

type SinkOptions = {
  /** Required login; without it the server offers no AUTH. */
  auth?: { user: string; password: string };
  /** Recipients refused at RCPT TO (550). */
  rejectRecipients?: string[];
};

const options = JSON.parse(process.argv[2] ?? "{}") as SinkOptions;
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const server = new SMTPServer({
  secure: false,
  disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
  allowInsecureAuth: true,
  authOptional: !options.auth,
  logger: false,
  banner: "spamtrail test sink",
  onAuth(auth, _session, callback) {
    const ok = auth.username === options.auth?.user && auth.password === options.auth?.password;
    emit({ event: "auth", user: auth.username, ok });
    if (!ok) {
      const error = Object.assign(new Error("5.7.8 Authentication credentials invalid"), {
        responseCode: 535,
      });
      callback(error);
      return;
    }
    callback(null, { user: auth.username });
  },
  onRcptTo(address, _session, callback) {
    if (options.rejectRecipients?.includes(address.address)) {
      callback(
        Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
          responseCode: 550,
        }),
      );
      return;
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      emit({
        event: "message",
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString("base64"),
      });
      callback();
    });
  },
});

server.listen(0, "127.0.0.1", () => {
  const address = server.server.address();
  emit({ event: "listening", port: typeof address === "object" && address ? address.port : 0 });
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
