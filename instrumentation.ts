// Runs once when the Next.js server starts: the database is migrated before the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { openAppDatabase } = await import("./lib/db/open-app-database.ts");
  const { db, path, applied } = openAppDatabase();
  db.close();
  if (applied.length > 0) console.log(`spamtrail: ${path}: applied ${applied.length} migration(s)`);
}
