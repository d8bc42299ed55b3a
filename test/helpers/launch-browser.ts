import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian (and most distributions) put Chromium; CHROMIUM_PATH wins. */
const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/snap/bin/chromium'];

/** Browser tests use the system's Chromium: playwright's own browser download cannot work offline. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env.CHROMIUM_PATH;
  if (wanted) {
    if (!existsSync(wanted)) throw new Error(`CHROMIUM_PATH is ${wanted}, but there is no file there.`);
    return wanted;
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'The console tests need Chromium and found none. Install Debian\'s: `sudo apt-get update && sudo apt-get install -y chromium` ' +
        '(.ci/run does this), or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
  return chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

const require = createRequire(import.meta.url);
const axeSource = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page; returns the violations of serious or critical impact (the console's bar). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's strict CSP (script-src 'self') does not govern.
  await page.evaluate(await readFile(axeSource, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    // Runs inside the page, where `document` exists; the project's type set has no DOM.
    const page = (globalThis as unknown as { document: unknown }).document;
    const result = await axe.run(page, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Screenshots go to test-output/screenshots (git-ignored) for people to look at after a run. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const path = `${dir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
