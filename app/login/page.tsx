import type { Metadata } from "next";
import { headers } from "next/headers";
import { LoginForm } from "@/components/auth/login-form";
import { hasAdmin } from "@/lib/auth/admin-users";
import { LOGIN_CSRF_HEADER } from "@/lib/auth/login-csrf";
import { safeNextPath } from "@/lib/auth/origin";
import { getPrisma } from "@/lib/db/prisma";
import { login } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const csrf = (await headers()).get(LOGIN_CSRF_HEADER) ?? "";
  const ready = await hasAdmin(getPrisma());
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-10">
      <h1 className="text-2xl font-semibold tracking-tight">Spamtrail</h1>
      <p className="mt-1 mb-6 text-sm muted">Does your antispam really work? Sign in to see.</p>
      <div className="panel p-5">
        {ready ? (
          <LoginForm action={login} csrf={csrf} next={safeNextPath(typeof next === "string" ? next : null)} />
        ) : (
          <div className="space-y-2 text-sm">
            <p className="font-medium">No administrator account yet.</p>
            <p className="muted">On the server, create one and reload this page:</p>
            <pre className="overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
              npx spamtrail admin set-password
            </pre>
            <p className="muted">
              or start the server with <code className="font-mono">SPAMTRAIL_ADMIN_PASSWORD</code> set.
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
