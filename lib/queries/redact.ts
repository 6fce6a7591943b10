// Dovecot logs the password a failed login tried when auth_verbose_passwords is set:
//   auth(info@example.com,192.0.2.110,sasl:login)<CvN+E95Uf4e7eEnj>: Info: sql: Password mismatch (given password: XxxxXXxx123)
//   auth: passwd-file(alice,1.2.3.4): unknown user (SHA1 of given password: 011c94)
// Another user's real password may be one typo away, and a hash of it is still a secret. The
// match runs to the last ")" of the line, so a password containing ")" is masked whole.
const GIVEN_PASSWORD = /\(((?:[\w-]+ of )?given password): .*\)/i;

/** A raw log line with the password it may carry replaced by •••. */
export function maskSecrets(raw: string): string {
  return raw.replace(GIVEN_PASSWORD, "($1: •••)");
}
