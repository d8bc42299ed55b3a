/**
 * The single place that reads process.env. Everything else receives the snapshot it is given, so tests can pass
 * their own environment and nothing changes behaviour behind the config's back.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

export function readEnvironment(overrides: Record<string, string | undefined> = {}): Environment {
  return Object.freeze({ ...process.env, ...overrides });
}
