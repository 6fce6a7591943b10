"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { attemptLogin } from "@/lib/auth/login";
import { LOGIN_CSRF_COOKIE } from "@/lib/auth/login-csrf";
import { isSameOrigin, safeNextPath } from "@/lib/auth/origin";
import { requestInfo, sessionCookie } from "@/lib/auth/request";
import { SESSION_COOKIE } from "@/lib/auth/sessions";
import { tokensMatch } from "@/lib/auth/tokens";
import { showInvisible } from "@/lib/core/visible-text";
import { getPrisma } from "@/lib/db/prisma";

export type LoginState = { error: string | null; username: string };

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

/** Signs the administrator in: origin and login-form token checked, rate-limited, audited. */
export async function login(_previous: LoginState, form: FormData): Promise<LoginState> {
  const username = text(form.get("username")).trim();
  const password = text(form.get("password"));
  if (!isSameOrigin(await headers()))
    return { error: "Refused: the form was not sent from this site.", username };
  const jar = await cookies();
  if (!tokensMatch(jar.get(LOGIN_CSRF_COOKIE)?.value, text(form.get("csrf"))))
    return { error: "The login form has expired. Reload the page and try again.", username };
  if (username === "" || password === "") return { error: "Enter your user name and password.", username };

  const { ip, userAgent, https } = await requestInfo();
  const result = await attemptLogin(getPrisma(), { username, password, ip, userAgent });
  if (!result.ok) {
    console.warn(
      showInvisible(`spamtrail: login refused for ${JSON.stringify(username)} from ${ip}: ${result.reason}`),
    );
    if (result.reason === "rate-limited") {
      const minutes = Math.max(1, Math.ceil((result.block.retryAt.getTime() - Date.now()) / 60_000));
      const who = result.block.scope === "address" ? "from your address" : "for this user name";
      return {
        error: `Too many failed logins ${who}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        username,
      };
    }
    return { error: "Wrong user name or password.", username };
  }
  console.log(`spamtrail: ${result.session.username} signed in from ${ip}`);
  jar.set(SESSION_COOKIE, result.token, sessionCookie(https, result.session.expiresAt));
  jar.set(LOGIN_CSRF_COOKIE, "", { path: "/login", maxAge: 0, httpOnly: true, sameSite: "strict" });
  redirect(safeNextPath(text(form.get("next"))));
}
