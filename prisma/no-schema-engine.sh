#!/bin/sh
echo "Spamtrail does not use Prisma's native schema engine: run 'npm run db:new -- <name>' to write a migration and 'npx spamtrail migrate' to apply them." >&2
exit 1
