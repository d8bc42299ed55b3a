import type { ConnectionTestReport } from '../../graph/connection-test/run-connection-test.ts';

const labels: Record<string, string> = { token: 'token', roles: 'roles', mailbox: 'mailbox', folder: 'folder', 'post-action-folder': 'move folder', 'secret-expiry': 'secret expiry' };

/** One line per step: status, step, reason; a failure or warning gets its fix on the next line. */
export function formatConnectionTest(report: ConnectionTestReport): string {
  const lines = [`connection ${report.connection}`];
  // Errors name their connection for logs; under the connection's own heading that is noise.
  const prefix = `connection ${report.connection}: `;
  for (const step of report.steps) {
    const reason = step.reason.replace(prefix, '');
    lines.push(`  ${step.status.padEnd(5)} ${(labels[step.step] ?? step.step).padEnd(14)} ${reason}`);
    if (step.hint && (step.status === 'fail' || step.status === 'warn')) lines.push(`        ${''.padEnd(14)} fix: ${step.hint}`);
  }
  const fails = report.steps.filter((s) => s.status === 'fail').length;
  const warns = report.steps.filter((s) => s.status === 'warn').length;
  lines.push(`  ${fails === 0 ? 'passed' : 'FAILED'}: ${fails} failed, ${warns} warning${warns === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
