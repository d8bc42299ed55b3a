import { createRequire } from 'node:module';
import type { AuthenticationResult } from './message.ts';

interface ParsedPart {
  value?: string;
  comment?: string;
  header?: Record<string, string>;
  smtp?: Record<string, string>;
}
type ParsedHeader = { value?: string } & Record<string, ParsedPart | ParsedPart[] | string | undefined>;

const require = createRequire(import.meta.url);
// mailauth's RFC 8601 header parser (the one its ARC validation uses); mailauth ships no types.
const parseAuthHeader = require('mailauth/lib/parse-dkim-headers.js') as (line: string) => { parsed: ParsedHeader };

/**
 * Every Authentication-Results header (RFC 8601), topmost first: the topmost is the one the last server, ours,
 * added. Which one to trust is configuration (the rule set's senderAuthentication), so all are kept.
 * Exchange Online writes its header without an authserv-id ("spf=pass (sender IP is …) smtp.mailfrom=…;
 * dkim=pass …; dmarc=pass action=none header.from=…; compauth=pass reason=100"), see
 * https://learn.microsoft.com/defender-office-365/message-headers-eop-mdo ; authservId is null then.
 */
export function readAuthenticationResults(headers: Record<string, string[]>): AuthenticationResult[] {
  return (headers['authentication-results'] ?? []).flatMap((value) => {
    let parsed: ParsedHeader;
    try {
      parsed = parseAuthHeader(`Authentication-Results: ${value}`).parsed;
    } catch {
      return [];
    }
    const part = (name: string): ParsedPart | undefined => {
      const found = parsed[name];
      return Array.isArray(found) ? found[0] : typeof found === 'object' ? found : undefined;
    };
    const dkim = Array.isArray(parsed['dkim']) ? parsed['dkim'] : [];
    const result = (p: ParsedPart | undefined): string | null => (typeof p?.value === 'string' && p.value !== '' ? p.value.toLowerCase() : null);
    // A header with no authserv-id parses its first method as the id: "spf=pass" has a '='; an id never does.
    const id = typeof parsed.value === 'string' && parsed.value !== '' && !parsed.value.includes('=') ? parsed.value.toLowerCase() : null;
    const dkimResults = dkim.map((d) => result(d)).filter((r): r is string => r !== null);
    return [
      {
        authservId: id,
        spf: result(part('spf')),
        dkim: dkimResults.includes('pass') ? 'pass' : (dkimResults[0] ?? null),
        dmarc: result(part('dmarc')),
        compauth: result(part('compauth')),
        headerFrom: part('dmarc')?.header?.['from']?.toLowerCase() ?? null,
        mailFrom: part('spf')?.smtp?.['mailfrom']?.toLowerCase() ?? null,
      },
    ];
  });
}
