// e2e.js — one independent end-to-end test: its own crm-server (fresh database), its own Chromium and
// context, the admin signed in on the API. On failure it saves a screenshot and the last snapshot of
// every open page under BUILD/screenshots/fail-<name>*, and prints the server's and the page's log;
// everything is stopped afterwards, failed or not.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { adminApi } from './api.js';
import { cspViolations, launchBrowser, pageLog } from './browser.js';
import { SCREENSHOT_DIR, ms } from './env.js';
import { describe, snapshot } from './client.js';
import { startServer } from './server.js';

const slug = (name) => name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '');

async function saveFailure(name, env) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const pages = env.browser ? env.browser.browser.contexts().flatMap((c) => c.pages()) : [];
  let i = 0;
  for (const page of pages) {
    const base = path.join(SCREENSHOT_DIR, `fail-${slug(name)}${pages.length > 1 ? `-${++i}` : ''}`);
    try {
      await page.screenshot({ path: `${base}.png`, timeout: 10000 });
      console.log(`# failure screenshot: ${base}.png`);
    } catch (e) {
      console.log(`# no failure screenshot: ${e.message}`);
    }
    try {
      const snap = await snapshot(page);
      fs.writeFileSync(`${base}.json`, JSON.stringify(snap, null, 2));
      console.log(`# last snapshot: ${describe(snap)}`);
    } catch (e) {
      console.log(`# no last snapshot: ${e.message}`);
    }
    // Whether the page was still drawing: frames the shell drew (by a timer when no animation frame came).
    const frames = await page.evaluate(() => {
      const f = window.kehuBoot?.frames;
      return f ? `${f.count} frames drawn, ${f.late} by the timer, page ${document.visibilityState}` : 'no frame counter';
    }).catch((e) => `no frame counter: ${e.message}`);
    console.log(`# frames: ${frames}`);
    const log = pageLog(page);
    if (log) console.log(`# --- page log (${page.url()}) ---\n${log.replace(/^/gm, '#   ')}`);
  }
  if (env.server) console.log(`# --- crm-server output ---\n${env.server.log().replace(/^/gm, '#   ')}`);
}

// e2e(name, {timeout, server: {…startServer options}, browser: {deviceScaleFactor, viewport}}, async (env) => …)
// env: {server, baseUrl, api, browser, context, page, cdp}; cdp is a CDP session of `page`.
export function e2e(name, options, body) {
  if (typeof options === 'function') [options, body] = [{}, options];
  return test(name, { timeout: ms(options.timeout ?? 120000) }, async () => {
    const env = {};
    try {
      env.server = await startServer(options.server);
      env.baseUrl = env.server.baseUrl;
      env.api = await adminApi(env.baseUrl);
      // Clipboard read/write is granted to the server's origin in every context of this browser.
      env.browser = await launchBrowser({ ...options.browser, origin: env.baseUrl });
      env.context = env.browser.context;
      env.page = env.browser.page;
      env.cdp = await env.context.newCDPSession(env.page);
      const violationsBefore = cspViolations.length;
      await body(env);
      assert.deepEqual(cspViolations.slice(violationsBefore), [], 'the page broke the server\'s Content-Security-Policy');
    } catch (e) {
      await saveFailure(name, env).catch((err) => console.log(`# could not save the failure: ${err.message}`));
      throw e;
    } finally {
      if (env.browser) await env.browser.close();
      if (env.server) await env.server.stop();
    }
  });
}
