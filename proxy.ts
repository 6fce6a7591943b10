import { type NextRequest, NextResponse } from "next/server";
import { wellFormedRoute } from "./components/route-param.ts";
import { contentSecurityPolicy, newNonce } from "./lib/auth/csp.ts";
import { LOGIN_CSRF_COOKIE, LOGIN_CSRF_HEADER } from "./lib/auth/login-csrf.ts";
import { isHttps, safeNextPath } from "./lib/auth/origin.ts";
import { findSession, SESSION_COOKIE } from "./lib/auth/sessions.ts";
import { isTokenShaped, randomToken } from "./lib/auth/tokens.ts";
import { getPrisma } from "./lib/db/prisma.ts";

// The gate in front of every route: a signed-in session or the login page, a per-response CSP nonce.
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const https = isHttps(request.headers, request.url);
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const forwarded = new Headers(request.headers);
  forwarded.delete(LOGIN_CSRF_HEADER);
  forwarded.set("x-nonce", nonce);
  forwarded.set("content-security-policy", csp);

  const token = request.cookies.get(SESSION_COOKIE)?.value;
  const session = token ? await findSession(getPrisma(), token) : null;
  const isLogin = pathname === "/login";
  const reading = request.method === "GET" || request.method === "HEAD";

  if (isLogin && session && reading) return NextResponse.redirect(new URL("/", request.url), 303);
  if (!isLogin && !session) {
    const response = reading
      ? NextResponse.redirect(loginUrl(request.url, `${pathname}${search}`), 307)
      : new NextResponse("Sign in first.", { status: 401, headers: { "content-type": "text/plain" } });
    if (token) response.cookies.delete(SESSION_COOKIE);
    return response;
  }

  let loginToken: string | null = null;
  if (isLogin) {
    const existing = request.cookies.get(LOGIN_CSRF_COOKIE)?.value;
    loginToken = isTokenShaped(existing) ? existing : randomToken();
    forwarded.set(LOGIN_CSRF_HEADER, loginToken);
  }
  // A path Next cannot decode (invalid UTF-8 in its escapes) would fail as a 500 deeper down; a
  // numbered page with an unreadable number gets its 404 here, before the page starts streaming.
  const response =
    decodable(pathname) && wellFormedRoute(pathname, request.nextUrl.searchParams.get("page"))
      ? NextResponse.next({ request: { headers: forwarded } })
      : NextResponse.rewrite(new URL("/_not-found", request.url), { request: { headers: forwarded } });
  response.headers.set("Content-Security-Policy", csp);
  if (loginToken && loginToken !== request.cookies.get(LOGIN_CSRF_COOKIE)?.value) {
    response.cookies.set(LOGIN_CSRF_COOKIE, loginToken, {
      httpOnly: true,
      sameSite: "strict",
      secure: https,
      path: "/login",
      maxAge: 60 * 60,
    });
  }
  return response;
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function loginUrl(base: string, next: string): URL {
  const url = new URL("/login", base);
  const target = safeNextPath(next);
  if (target !== "/") url.searchParams.set("next", target);
  return url;
}

export const config = {
  // Everything but build assets; the login page itself is handled above.
  matcher: ["/((?!_next/static|_next/image|favicon.ico$|icon.svg$).*)"],
};
