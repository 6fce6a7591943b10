import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NavBar } from "@/components/nav-bar";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Spamtrail", template: "%s · Spamtrail" },
  description: "Does your Postfix + DSPAM + Dovecot antispam pipeline really work?",
};

// Every page reads the live database.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <NavBar />
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
