import { isPackName, packNames, type PackName } from '../mail/preprocess/index.ts';

/**
 * The intake parts of a rule file besides its rules: which cleaning packs run (and in which order), the sender
 * policy, and whose Authentication-Results to trust. Read once when the rule set is compiled.
 */
export interface PackSetting {
  pack: PackName;
  enabled: boolean;
}

export interface SenderPolicySettings {
  /** Address, domain or wildcard patterns; when non-empty only matching senders pass. */
  allow: readonly string[];
  deny: readonly string[];
  /** New tickets per sender per hour; null: no cap. */
  maxNewTicketsPerHour: number | null;
}

export interface SenderAuthenticationSettings {
  /** authserv-ids (exact, or "*.suffix") whose Authentication-Results are believed. */
  trustedAuthservIds: readonly string[];
  /** Believe the topmost Authentication-Results when it has no authserv-id, as Exchange Online writes it. */
  trustMissingAuthservId: boolean;
  /** The organisation's own domains (subdomains included) besides the mailbox's. */
  internalDomains: readonly string[];
}

export interface IntakeSettings {
  /** The file's packs list as written (absent: empty, every pack off). */
  packs: readonly PackSetting[];
  /** The enabled packs in order: what the preprocess steps get. */
  enabledPacks: readonly PackName[];
  senderPolicy: SenderPolicySettings;
  senderAuthentication: SenderAuthenticationSettings;
}

export interface IntakeSpec {
  packs?: { pack: string; enabled?: boolean }[];
  senderPolicy?: { allow?: string[]; deny?: string[]; maxNewTicketsPerHour?: number };
  senderAuthentication?: { trustedAuthservIds?: string[]; trustMissingAuthservId?: boolean; internalDomains?: string[] };
}

const senderPattern = /^[a-z0-9.@*?_+=-]+$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the schema cannot say: pack names against the catalog, each pack once, sender patterns that can match. */
export function checkIntakeSettings(raw: unknown): { pointer: string; message: string }[] {
  if (!isRecord(raw)) return [];
  const problems: { pointer: string; message: string }[] = [];
  if (Array.isArray(raw.packs)) {
    const seen = new Map<string, number>();
    raw.packs.forEach((entry: unknown, index) => {
      if (!isRecord(entry) || typeof entry.pack !== 'string') return;
      if (!isPackName(entry.pack)) problems.push({ pointer: `/packs/${index}/pack`, message: `unknown pack "${entry.pack}"; known: ${packNames.join(', ')} (see \`mailroom rules packs\`)` });
      const first = seen.get(entry.pack);
      if (first !== undefined) problems.push({ pointer: `/packs/${index}/pack`, message: `pack "${entry.pack}" is listed twice (also /packs/${first})` });
      else seen.set(entry.pack, index);
    });
  }
  const policy = raw.senderPolicy;
  if (isRecord(policy)) {
    for (const list of ['allow', 'deny'] as const) {
      const patterns = policy[list];
      if (!Array.isArray(patterns)) continue;
      patterns.forEach((pattern: unknown, index) => {
        if (typeof pattern === 'string' && !senderPattern.test(pattern)) {
          problems.push({ pointer: `/senderPolicy/${list}/${index}`, message: `"${pattern}" is not an address, a domain or a wildcard pattern (letters, digits, . @ * ? _ + = -)` });
        }
      });
    }
  }
  return problems;
}

export function readIntakeSettings(spec: IntakeSpec): IntakeSettings {
  const packs = (spec.packs ?? []).filter((entry) => isPackName(entry.pack)).map((entry) => Object.freeze({ pack: entry.pack as PackName, enabled: entry.enabled !== false }));
  const lower = (list: string[] | undefined): readonly string[] => Object.freeze((list ?? []).map((item) => item.toLowerCase()));
  return Object.freeze({
    packs: Object.freeze(packs),
    enabledPacks: Object.freeze(packs.filter((entry) => entry.enabled).map((entry) => entry.pack)),
    senderPolicy: Object.freeze({
      allow: lower(spec.senderPolicy?.allow),
      deny: lower(spec.senderPolicy?.deny),
      maxNewTicketsPerHour: spec.senderPolicy?.maxNewTicketsPerHour ?? null,
    }),
    senderAuthentication: Object.freeze({
      trustedAuthservIds: lower(spec.senderAuthentication?.trustedAuthservIds),
      trustMissingAuthservId: spec.senderAuthentication?.trustMissingAuthservId ?? true,
      internalDomains: lower(spec.senderAuthentication?.internalDomains),
    }),
  });
}

/** The settings of a rule set compiled without them (a hand-built set in a test): every pack on, no policy. */
export const defaultIntakeSettings: IntakeSettings = Object.freeze({
  ...readIntakeSettings({}),
  enabledPacks: packNames,
});
