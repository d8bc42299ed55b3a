/**
 * Every step of a notification's send, in order, as the run itself reports it through its hooks (never a time):
 * queued; claimed, nothing asked of Graph; draft made, not recorded; draft recorded, not sent; draft sent, not marked.
 */
export const killPoints = ['after-queue', 'before-send', 'after-draft-created', 'after-draft-recorded', 'after-send'] as const;
export type KillPoint = (typeof killPoints)[number];
