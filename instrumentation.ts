// Runs once when the Next.js server starts: the database is migrated before the first request, and
// SPAMTRAIL_ADMIN_PASSWORD (if set) becomes the administrator's password.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { describeTarget, resolveDatabaseTarget } = await import("./lib/db/database-url.ts");
  const { migrateTarget } = await import("./lib/db/open-app-database.ts");
  const target = resolveDatabaseTarget();
  const applied = await migrateTarget(target);
  if (applied.length > 0)
    console.log(`spamtrail: ${describeTarget(target)}: applied ${applied.length} migration(s)`);
  const { parseProxyTrust } = await import("./lib/auth/client-address.ts");
  try {
    parseProxyTrust(process.env.SPAMTRAIL_TRUST_PROXY);
  } catch (error) {
    console.error(`spamtrail: ${(error as Error).message}; trusting no proxy`);
  }
  const { applyAdminPasswordFromEnv } = await import("./lib/auth/admin-users.ts");
  const { getPrisma } = await import("./lib/db/prisma.ts");
  try {
    const outcome = await applyAdminPasswordFromEnv(getPrisma());
    const user = process.env.SPAMTRAIL_ADMIN_USER || "admin";
    if (outcome === "created")
      console.log(`spamtrail: created administrator ${user} from SPAMTRAIL_ADMIN_PASSWORD`);
    if (outcome === "changed")
      console.log(`spamtrail: set the password of ${user} from SPAMTRAIL_ADMIN_PASSWORD`);
  } catch (error) {
    console.error(`spamtrail: SPAMTRAIL_ADMIN_PASSWORD not applied: ${(error as Error).message}`);
  }
  // The overview's aggregates take a second on a big database: compute them now, not for the first visitor.
  import("./lib/queries/dashboard-reads.ts")
    .then(({ prewarmDashboard }) => prewarmDashboard())
    .catch((error: unknown) => console.error("spamtrail: warming up the dashboard failed:", error));
}
