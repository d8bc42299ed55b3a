/**
 * Escapes a value for an OData string literal ('…'): a single quote is doubled. The result still needs
 * encodeURIComponent before it goes into a URL, since the client sends query strings as given.
 * https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_URLSyntax
 */
export function escapeODataString(value: string): string {
  return value.replaceAll("'", "''");
}
