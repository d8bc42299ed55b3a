/** `/users/{mailbox}` with the address escaped for a path segment; `@` stays readable (Graph accepts it as is). */
export function userPath(mailbox: string): string {
  return `/users/${encodeURIComponent(mailbox).replaceAll('%40', '@')}`;
}
