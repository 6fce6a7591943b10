"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/messages", label: "Messages" },
  { href: "/findings", label: "Findings" },
  { href: "/users", label: "Users" },
  { href: "/config", label: "Config" },
  { href: "/sources", label: "Sources" },
];

/** The main sections, the current one marked for eyes and screen readers. */
export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="flex flex-wrap gap-x-1 gap-y-1 text-sm">
      {LINKS.map((link) => {
        const current = link.href === "/" ? pathname === "/" : pathname.startsWith(link.href);
        return (
          <li key={link.href}>
            <Link
              prefetch={false}
              href={link.href}
              aria-current={current ? "page" : undefined}
              className={`rounded-md px-2.5 py-1.5 no-underline hover:bg-slate-100 hover:no-underline dark:hover:bg-slate-800 ${
                current
                  ? "bg-slate-100 font-semibold text-slate-900 dark:bg-slate-800 dark:text-white"
                  : "text-slate-700 dark:text-slate-300"
              }`}
            >
              {link.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
