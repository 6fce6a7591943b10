import path from "node:path";
import { projectRoot } from "../core/paths.ts";

/** The environment a database choice is read from (DATABASE_URL). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Which database a command or the dashboard works on: a SQLite file, or a PostgreSQL server. */
export type DatabaseTarget =
  | { kind: "sqlite"; file: string }
  /** `url` as given (passwords and TLS options included, for `pg`); `shown` with the password hidden. */
  | { kind: "postgresql"; url: string; shown: string };

/** A --db or DATABASE_URL Spamtrail cannot use: one line, exit 2, never a file created under its name. */
export class DatabaseUrlError extends Error {
  override name = "DatabaseUrlError";
}

// RFC 3986 scheme. One letter is left to paths so that nothing that looks like a drive ("C:") is misread.
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/**
 * Reads --db (explicit) or DATABASE_URL: a plain path or a `file:` URL is SQLite, `postgresql://` or
 * `postgres://` is PostgreSQL, any other scheme is an error. An explicit relative path is relative to
 * the working directory; a relative DATABASE_URL file to the checkout (as Prisma's `file:./…` is).
 */
export function resolveDatabaseTarget(explicit?: string, env: Env = process.env): DatabaseTarget {
  const given = explicit ?? env.DATABASE_URL;
  const source = explicit !== undefined ? "--db" : "DATABASE_URL";
  if (given === undefined || given === "") {
    if (explicit === "") throw new DatabaseUrlError("--db must name a SQLite file or a postgresql:// URL");
    return { kind: "sqlite", file: path.join(projectRoot(), "data", "spamtrail.db") };
  }
  const base = explicit !== undefined ? process.cwd() : projectRoot();
  const scheme = SCHEME.exec(given)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: "sqlite", file: path.resolve(base, given) };
  if (scheme === "file") return { kind: "sqlite", file: path.resolve(base, fileUrlPath(given, source)) };
  if (scheme === "postgresql" || scheme === "postgres") return postgresTarget(given, source);
  throw new DatabaseUrlError(
    `${source} '${redactUrl(given)}' has the scheme '${scheme}:'; Spamtrail stores in SQLite (a file path or file:PATH) or PostgreSQL (postgresql://user:password@host:5432/database)`,
  );
}

// file:./x.db, file:x.db, file:/abs/x.db, file:///abs/x.db, file://localhost/abs/x.db; a ?query
// (Prisma's connection_limit and such) is not part of the file name.
function fileUrlPath(url: string, source: string): string {
  let rest = url.slice("file:".length).replace(/\?.*$/, "");
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const host = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    if (host !== "" && host !== "localhost") {
      throw new DatabaseUrlError(
        `${source} '${url}' names a file on host '${host}'; a SQLite file must be local`,
      );
    }
    rest = slash < 0 ? "" : rest.slice(slash);
  }
  if (rest === "") throw new DatabaseUrlError(`${source} '${url}' names no file`);
  return decodeURIComponent(rest);
}

function postgresTarget(url: string, source: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError(`${source} '${redactUrl(url)}' is not a valid PostgreSQL URL`);
  }
  // postgresql:///db?host=/run/postgresql is a unix socket; otherwise the URL names the server.
  if (parsed.hostname === "" && !parsed.searchParams.has("host")) {
    throw new DatabaseUrlError(
      `${source} '${redactUrl(url)}' names no server (postgresql://user:password@host:5432/database)`,
    );
  }
  if (parsed.pathname.replace(/^\//, "") === "") {
    throw new DatabaseUrlError(`${source} '${redactUrl(url)}' names no database (…/database at the end)`);
  }
  return { kind: "postgresql", url, shown: redactUrl(url) };
}

/** The URL with its password (and any password= option) replaced by ***: what is printed and logged. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/, "$1:***@")
    .replace(/([?&]password=)[^&#]*/i, "$1***");
}

/** How a target is named to the user: the SQLite file, or the URL without its password. */
export function describeTarget(target: DatabaseTarget): string {
  return target.kind === "sqlite" ? target.file : target.shown;
}

/** The SQLite file of a target; for PostgreSQL, a one-line error naming what does not support it yet. */
export function sqliteFileOf(target: DatabaseTarget, what: string): string {
  if (target.kind === "sqlite") return target.file;
  throw new DatabaseUrlError(
    `${what} does not work on PostgreSQL yet (${target.shown}); give it a SQLite file`,
  );
}

/** The SQLite file of --db/DATABASE_URL (the default data/spamtrail.db included). */
export function resolveDatabasePath(explicit?: string, env: Env = process.env): string {
  return sqliteFileOf(resolveDatabaseTarget(explicit, env), "this command");
}
