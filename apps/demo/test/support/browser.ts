import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../../../../scripts/chromium.mjs';

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium from the npm packages (no system browser needed), with
 * one fresh browser context the size of a laptop screen.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  return {
    context,
    close: async () => {
      await context.close();
      await browser.close();
    },
  };
}
