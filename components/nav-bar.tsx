const LINKS = [{ href: "/sources", label: "Sources" }];

/** The top navigation shown on every page. */
export function NavBar() {
  return (
    <nav
      aria-label="Main"
      className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <a href="/" className="text-lg font-semibold text-slate-900 no-underline dark:text-white">
          Spamtrail
        </a>
        <ul className="flex flex-wrap gap-x-4 text-sm">
          {LINKS.map((link) => (
            <li key={link.href}>
              <a href={link.href}>{link.label}</a>
            </li>
          ))}
        </ul>
      </div>
    </nav>
  );
}
