import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath } from '../../bench/src/ide-page.js';

export { launchChromium, pasteOperation } from '../../bench/src/ide-page.js';
import type { MultiUndirectedGraph } from 'graphology';
import type Sigma from 'sigma';

declare global {
  interface Window {
    /** The network view's model, renderer and layout, which ide/src/graph/panel.tsx sets while it is open. */
    __hubNetwork?: {
      graph: MultiUndirectedGraph;
      sigma: Sigma;
      layout: { startedAt: number; settledAt: number | null; running: boolean };
      firstFrameAt: number | null;
      select(id: string): void;
    };
  }
}

/**
 * What the browser tests of the IDE share: where Chromium is (and a warning
 * when it is not), and a Chromium launched with the flags that work in this
 * project's containers. ide/dist, which the gateway serves, is built once
 * before any test file runs (build.ts).
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const IDE_DIR = join(ROOT, 'ide');
/** Screenshots and downloads the browser tests leave for a person to look at (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test', 'artifacts');

// A browser, a hub and vitest's other files share the machine: polls wait long enough for a busy CI.
export const patiently = { timeout: 30_000 };

export const haveChromium = existsSync(chromiumPath);

/** Says, once per test file, that its browser tests are skipped and how to run them; true when they can run. */
export function chromiumOrWarn(testFile: string): boolean {
  if (!haveChromium) {
    console.warn(
      `${testFile}: the browser tests are SKIPPED: no Chromium at ${chromiumPath}. ` +
        "Install Debian's (apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.",
    );
  }
  return haveChromium;
}

const BROWSER_TURN = join(tmpdir(), 'hub-ide-browser-turn');
/** A turn held longer than this was left by a run that died: taken over. */
const TURN_LEFT_MS = 10 * 60_000;

/**
 * Waits until no other test file drives the IDE in Chromium, then holds the
 * turn until the function returned is called. Two at once on a 2-core machine
 * starve each other's WebGL drawing and layout of time, and each then waits
 * for timeouts instead of the page. The turn is a folder, made atomically.
 */
export async function takeBrowserTurn(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(BROWSER_TURN);
      writeFileSync(join(BROWSER_TURN, 'since'), String(Date.now()));
      return () => rmSync(BROWSER_TURN, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (heldFor() > TURN_LEFT_MS) rmSync(BROWSER_TURN, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** How long the current turn has been held; 0 while its holder is still writing when it began. */
function heldFor(): number {
  try {
    return Date.now() - Number(readFileSync(join(BROWSER_TURN, 'since'), 'utf8'));
  } catch {
    return 0;
  }
}


/**
 * A browser context that reaches the gateway at `origin` alone: anything else
 * is refused, as with the network cut off. `refused` collects what was refused.
 */
export async function gatewayOnlyContext(
  browser: Browser,
  origin: string,
  options: { width: number; height: number; locale?: string; refused?: string[] },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: options.locale ?? 'th-TH' });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    options.refused?.push(url);
    return route.abort();
  });
  return context;
}

/** Opens the IDE at `url` and waits for GraphiQL. */
export async function openIde(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.graphiql-container').waitFor({ timeout: 45_000 });
}
