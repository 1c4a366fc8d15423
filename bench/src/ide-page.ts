import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Driving the IDE in Chromium, as the IDE's browser tests and `npm run
 * bench:ide` both do: where Chromium is, how it is launched, and how an
 * operation goes into GraphiQL's editor.
 */

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Chromium as the browser tests and the benchmark drive it. `--no-sandbox`:
 * the containers run as root. The network view draws with WebGL: SwiftShader,
 * Chromium's own software renderer, draws it on any machine, GPU or not,
 * which Chromium asks to be allowed explicitly.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'] });
}

/**
 * Replaces the operation in GraphiQL's editor with `query`, pasted: typed,
 * the editor would close brackets and indent on its own.
 */
export async function pasteOperation(page: Page, query: string): Promise<void> {
  await page.locator('.graphiql-query-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.evaluate((text) => {
    const pasted = new DataTransfer();
    pasted.setData('text/plain', text);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
  }, query);
}
