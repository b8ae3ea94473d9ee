// security — the client runs under the server's Content-Security-Policy (server/http/security_headers.h):
// the page and every file come with it, the client starts and signs in without one violation (e2e() fails
// any test that causes one), and what the policy exists to stop is stopped in this browser: a string
// turned into code, an injected inline script, an inline style.
import assert from 'node:assert/strict';

import { ADMIN_PASSWORD, ADMIN_USER, cspViolations, e2e, login, openClient, waitForCustomerList } from './lib/index.js';

e2e('the client runs under the Content-Security-Policy that forbids eval and inline script', { timeout: 120000 }, async ({ baseUrl, page }) => {
  const policies = new Map();
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (!path.startsWith('/api/')) policies.set(path, r.headers()['content-security-policy'] ?? '');
  });
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  for (const file of ['/', '/boot.js', '/page.css', '/crm.js', '/crm.wasm']) {
    assert.ok(policies.has(file), `${file} was loaded`);
    assert.match(policies.get(file), /script-src 'self' 'wasm-unsafe-eval';/, `${file} carries the policy`);
  }

  const before = cspViolations.length;
  // Run from a timer, as the page's own code would: DevTools' evaluation itself is exempt from the policy.
  const attempts = await page.evaluate(() => new Promise((resolve) => setTimeout(() => {
    const out = {};
    try { out.eval = String(eval('6 * 7')); } catch (e) { out.eval = e.name; }
    try { out.fn = String(new Function('return 42')()); } catch (e) { out.fn = e.name; }
    const script = document.createElement('script');
    script.textContent = 'window.kehuInjected = true;';
    document.body.appendChild(script);
    out.inlineScript = window.kehuInjected === true ? 'ran' : 'blocked';
    const style = document.createElement('style');
    style.textContent = 'body { background: rgb(255, 0, 0) !important; }';
    document.head.appendChild(style);
    out.inlineStyle = getComputedStyle(document.body).backgroundColor === 'rgb(255, 0, 0)' ? 'applied' : 'blocked';
    resolve(out);
  }, 0)));
  assert.deepEqual(attempts, { eval: 'EvalError', fn: 'EvalError', inlineScript: 'blocked', inlineStyle: 'blocked' });
  await page.waitForTimeout(200);  // the console messages of the refusals arrive after evaluate returns
  assert.ok(cspViolations.length > before, 'the browser reported the refusals');
  cspViolations.splice(before);  // expected: the test caused them on purpose
});
