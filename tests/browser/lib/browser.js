// browser.js — Debian's Chromium driven by playwright-core (TOOLCHAIN.md "Browser tests"): headless,
// software WebGL2 through SwiftShader, no background networking. playwright's launch() gives every
// browser a fresh temporary profile (--user-data-dir) and removes it on close; each context on top of it
// starts with empty storage (IndexedDB, localStorage, cookies) and can go offline on its own.
import { chromium } from 'playwright-core';

import { CHROMIUM, requireFile } from './env.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 };

// Every Content-Security-Policy violation any page of this run reported (Chromium says each on the
// console); e2e() fails a test that caused one, so the client is known to run under the server's policy.
export const cspViolations = [];

// Collects what the page says (console, uncaught errors, failed requests) for the failure report.
export function recordPageLog(page) {
  const lines = [];
  page.kehuLog = lines;
  const push = (line) => {
    lines.push(line);
    if (lines.length > 500) lines.splice(0, lines.length - 400);
  };
  page.on('console', (msg) => {
    push(`[console.${msg.type()}] ${msg.text()}`);
    if (/Content Security Policy/.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => push(`[pageerror] ${err.stack || err.message}`));
  page.on('requestfailed', (req) => push(`[requestfailed] ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('crash', () => push('[crash] the page crashed'));
  return page;
}

export function pageLog(page, lastLines = 60) {
  return (page.kehuLog || []).slice(-lastLines).join('\n');
}

// A new context (own storage, own offline switch) and page in `browser`. Options: deviceScaleFactor,
// viewport, origin (granted clipboard read/write), locale, hasTouch (a touch screen, as on a tablet).
export async function newContext(browser, { deviceScaleFactor = 1, viewport = DEFAULT_VIEWPORT, origin, locale = 'zh-CN', hasTouch = false } = {}) {
  const context = await browser.newContext({ deviceScaleFactor, viewport, locale, hasTouch, timezoneId: 'Asia/Shanghai' });
  if (origin) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = recordPageLog(await context.newPage());
  return { context, page };
}

// Launches Chromium and opens one context and page. Returns {browser, context, page, newContext(opts), close()}.
export async function launchBrowser(options = {}) {
  requireFile(CHROMIUM, 'Chromium (apt-get install -y chromium)');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60000,
  });
  const { context, page } = await newContext(browser, options);
  return {
    browser,
    context,
    page,
    newContext: (opts) => newContext(browser, { ...options, ...opts }),
    close: () => browser.close().catch(() => {}),
  };
}
