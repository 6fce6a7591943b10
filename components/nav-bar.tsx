import Link from "next/link";
import { NavLinks } from "./nav-links";

/** The top bar of every signed-in page: sections, a Message-ID / queue id search, sign out. */
export function NavBar({
  username,
  csrf,
  logout,
}: {
  username: string;
  csrf: string;
  logout: (form: FormData) => Promise<void>;
}) {
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <a href="#main" className="sr-only-focusable absolute top-2 left-2 z-10 btn">
        Skip to content
      </a>
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5">
        <Link
          prefetch={false}
          href="/"
          className="order-1 text-lg font-semibold text-slate-900 no-underline dark:text-white"
        >
          Spamtrail
        </Link>
        <nav aria-label="Main" className="order-4 w-full md:order-2 md:w-auto">
          <NavLinks />
        </nav>
        <search className="order-3 w-full md:ml-auto md:w-auto">
          <form action="/messages" method="get" className="flex items-center gap-1">
            <label htmlFor="nav-search" className="sr-only">
              Find a message by Message-ID, queue id or address
            </label>
            <input
              id="nav-search"
              name="q"
              type="search"
              placeholder="Message-ID, queue id, address…"
              className="min-w-0 flex-1 md:w-64 md:flex-none"
              autoComplete="off"
              spellCheck={false}
            />
            <button type="submit" className="btn">
              Find
            </button>
          </form>
        </search>
        <form action={logout} className="order-2 ml-auto flex items-center gap-2 text-sm md:order-4 md:ml-0">
          <input type="hidden" name="csrf" value={csrf} />
          <span className="hidden muted md:inline" title="Signed in as">
            {username}
          </span>
          <button type="submit" className="btn">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}
