/** One check of `mailroom connection test`, with its verdict and, on a failure, what to do. */
export type StepStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface TestStep {
  step: 'token' | 'roles' | 'mailbox' | 'folder' | 'post-action-folder' | 'secret-expiry';
  status: StepStatus;
  reason: string;
  /** The AppError code behind a failure. */
  code?: string;
  /** What to do about it. */
  hint?: string;
}
