import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getPrisma } from "../db/prisma.ts";
import { clientAddress } from "./client-address.ts";
import { isHttps, isSameOrigin } from "./origin.ts";
import { findSession, SESSION_COOKIE, type Session } from "./sessions.ts";
import { tokensMatch } from "./tokens.ts";

/** A mutation that failed its CSRF or session check: nothing was changed. */
export class MutationRefused extends Error {
  override name = "MutationRefused";
}

/** The signed-in administrator's session for this request, or null (read once per request). */
export const getSession = cache(async (): Promise<Session | null> => {
  const jar = await cookies();
  return findSession(getPrisma(), jar.get(SESSION_COOKIE)?.value);
});

/** The session, or a redirect to the login page. */
export async function requireSession(): Promise<Session> {
  const session = await getSession();
  if (!session) redirect("/login");
  return session;
}

/**
 * Every mutation starts here: a live session, a request from our own origin, and the session's
 * CSRF token in the form. Throws MutationRefused otherwise.
 */
export async function requireMutation(form: FormData): Promise<Session> {
  const session = await getSession();
  if (!session) throw new MutationRefused("your session has ended; sign in again");
  if (!isSameOrigin(await headers()))
    throw new MutationRefused("refused: the request did not come from this site");
  const token = form.get("csrf");
  if (!tokensMatch(session.csrfToken, typeof token === "string" ? token : null))
    throw new MutationRefused("refused: the form's security token is missing or stale; reload the page");
  return session;
}

/** Client address, user agent and scheme of the current request. */
export async function requestInfo(): Promise<{ ip: string; userAgent: string | null; https: boolean }> {
  const h = await headers();
  return { ip: clientAddress(h), userAgent: h.get("user-agent"), https: isHttps(h) };
}

/** Attributes of the session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, for the whole site. */
export function sessionCookie(https: boolean, expires: Date) {
  return { httpOnly: true, sameSite: "strict" as const, secure: https, path: "/", expires };
}
