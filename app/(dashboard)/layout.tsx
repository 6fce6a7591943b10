import type { ReactNode } from "react";
import { FreshnessBar } from "@/components/freshness-bar";
import { NavBar } from "@/components/nav-bar";
import { requireSession } from "@/lib/auth/request";
import { getFreshness } from "@/lib/queries/freshness";
import { logout } from "./actions";

// proxy.ts already refuses requests without a session; this is the second lock, and the source of
// the CSRF token the sign-out form carries.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  const now = new Date();
  const freshness = await getFreshness(undefined, now);
  return (
    <>
      <NavBar username={session.username} csrf={session.csrfToken} logout={logout} />
      <FreshnessBar freshness={freshness} now={now} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
