// lockout — a stranger guessing a user's password locks the account for everyone else, not for the user:
// the browser the user signed in from before is a trusted device (the server's HttpOnly device cookie), and
// its sign-in with the right password gets through while the lock holds. A browser that never signed in
// as the user is refused with the lock said in words, even with the right password — so the lock is real,
// not skipped. Screenshot lockout-refused.png.
import assert from 'node:assert/strict';

import { click, e2e, findItem, login, openClient, screenshot, signInStatus, waitForCustomerList, waitForScreen } from './lib/index.js';

e2e('a stranger guessing the password does not lock the user out of their own browser', { timeout: 240000 },
  async ({ api, baseUrl, browser, page }) => {
    const password = 'Sun-Li-pw-2026';
    await api.request('POST', '/users', { username: 'sunli', display_name: '孙丽', role: 'sales', password });

    // The user signs in once from this browser, then signs out: the device cookie stays.
    await openClient(page, baseUrl);
    await login(page, 'sunli', password);
    await waitForCustomerList(page);
    await click(page, 'status.logout');
    await waitForScreen(page, 'login');

    // A stranger guesses until the account is locked; now even the right password is refused to them.
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; ++i) status = await signInStatus(baseUrl, 'sunli', `guess-${i}-wrong`);
    assert.equal(status, 429, 'the account is locked after repeated wrong passwords');
    assert.equal(await signInStatus(baseUrl, 'sunli', password), 429, 'the lock holds for the right password from elsewhere');

    // The user's own browser gets in.
    await login(page, 'sunli', password);
    await waitForCustomerList(page);

    // Another browser, never used by the user, is refused, and says why.
    const other = await browser.newContext();
    await openClient(other.page, baseUrl);
    let refusal = '';
    try {
      await login(other.page, 'sunli', password);
    } catch (e) {
      refusal = e.message;
    }
    assert.match(refusal, /login failed: .*(尝试次数过多|too many)/, `the other browser is told of the lock: ${refusal}`);
    const snap = await waitForScreen(other.page, 'login');
    assert.ok(findItem(snap, 'login.error'), 'the error stays on the sign-in screen');
    await screenshot(other.page, 'lockout-refused.png');
    await other.context.close();
  });
