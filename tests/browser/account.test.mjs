// account — 我的账号, reached from the user's name in the top bar by a sales user (every role has it): the
// signed-in devices list this browser (本设备, no end button) and a session made by a direct sign-in on
// another "device" (a Firefox on Windows), which is ended after a confirmation (its token is then refused);
// a wrong current password is named beside its field and changes nothing; a short new password and a
// mismatched repeat are refused in the client without a request; a good change says the other devices
// were signed out — the other session's token is refused, this client stays signed in and keeps reading
// from the server, the new password signs in and the old one does not. The screen is an address of its
// own; the English screen carries no Chinese of the app's; too many wrong attempts (429) are said in
// words; offline the screen says it needs the network and greys the buttons. Screenshots account-zh.png,
// account-en.png, account-errors.png.
import assert from 'node:assert/strict';

import {
  Api, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil, reloadClient, screenshot, signInStatus, snapshot, typeInto,
  waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

// Signs in on the API as another device would; returns the Api holding that session's token.
async function signInElsewhere(baseUrl, username, password) {
  const api = new Api(baseUrl);
  const answer = await api.request('POST', '/auth/login', { username, password }, { 'User-Agent': FIREFOX_ON_WINDOWS });
  api.token = answer.token;
  return api;
}

// The status a session's token gets from GET /me (200 while it lives, 401 once ended).
async function meStatus(baseUrl, token) {
  const res = await fetch(`${baseUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  return res.status;
}

e2e('my account: signed-in devices ended, password changed', { timeout: 240000 }, async ({ api, baseUrl, context, page }) => {
  const oldPassword = 'Zhao-old-pw-2026', newPassword = 'Zhao-new-pw-2027';
  await api.request('POST', '/users', { username: 'zhaolei', display_name: '赵磊', role: 'sales', password: oldPassword });
  const passwordPosts = [];  // every POST /auth/password the page sends
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/auth/password')) passwordPosts.push(r.url()); });

  await openClient(page, baseUrl);
  await login(page, 'zhaolei', oldPassword);
  await waitForCustomerList(page);
  const other = await signInElsewhere(baseUrl, 'zhaolei', oldPassword);

  // From the name in the top bar; both sessions listed, this one marked and without an end button.
  await click(page, 'app.user');
  await waitForScreen(page, 'account');
  const sessions = (await other.request('GET', '/auth/sessions')).items;
  assert.equal(sessions.length, 2, 'the browser and the other device');
  const otherId = sessions.find((s) => s.current).id, browserId = sessions.find((s) => !s.current).id;
  const listed = await waitForSnapshot(page, (s) => findItem(s, `account.session.current.${browserId}`) &&
    findItem(s, `account.session.end.${otherId}`) && s, { what: 'this device and the other listed' });
  assert.equal(findItem(listed, `account.session.current.${browserId}`).label, '本设备');
  assert.equal(findItem(listed, `account.session.end.${browserId}`), null, 'no end button for this device');
  assert.equal(findItem(listed, `account.session.current.${otherId}`), null);
  assert.equal(findItem(listed, `account.session.browser.${otherId}`).label, 'Firefox · Windows');
  assert.equal(findItem(listed, `account.session.browser.${browserId}`).label, 'Chrome · Linux');
  assert.match(findItem(listed, `account.session.started.${browserId}`).label, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.match(findItem(listed, `account.session.seen.${otherId}`).label, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.ok(findItem(listed, `account.session.ip.${otherId}`).label.length > 0);
  await screenshot(page, 'account-zh');

  // Ended after a confirmation (cancel keeps it): its token is refused, the list is read again.
  await click(page, `account.session.end.${otherId}`);
  assert.match((await waitForItem(page, 'account_end.question')).label, /Firefox · Windows/);
  await click(page, 'account_end.cancel');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await meStatus(baseUrl, other.token), 200, 'cancel keeps the session');
  await click(page, `account.session.end.${otherId}`);
  await click(page, 'account_end.confirm');
  await pollUntil(async () => (await meStatus(baseUrl, other.token)) === 401, { what: 'the other session refused' });
  await waitForSnapshot(page, (s) => !findItem(s, `account.session.browser.${otherId}`) && findItem(s, `account.session.current.${browserId}`) &&
    findItem(s, 'account.notice') && s, { what: 'the list without the ended session' });

  // A wrong current password: the server's reason beside the field, nothing changed.
  await typeInto(page, 'account.password.old', 'not-my-password', { replace: true });
  await typeInto(page, 'account.password.new', newPassword, { replace: true });
  await typeInto(page, 'account.password.repeat', newPassword, { replace: true });
  await click(page, 'account.password.submit');
  assert.equal((await waitForItem(page, 'account.password.old.error')).label, '原密码不正确');
  assert.equal(passwordPosts.length, 1, 'the change was sent');
  assert.equal(await signInStatus(baseUrl, 'zhaolei', newPassword), 401, 'the new password is not in use');
  const second = await signInElsewhere(baseUrl, 'zhaolei', oldPassword);  // the old one still signs in

  // Refused in the client, nothing sent: a short new password, then a repeat that differs.
  await typeInto(page, 'account.password.old', oldPassword, { replace: true });
  await typeInto(page, 'account.password.new', 'short', { replace: true });
  await typeInto(page, 'account.password.repeat', 'short', { replace: true });
  await click(page, 'account.password.submit');
  assert.equal((await waitForItem(page, 'account.password.new.error')).label, '密码至少 8 个字符');
  await typeInto(page, 'account.password.new', newPassword, { replace: true });
  await typeInto(page, 'account.password.repeat', `${newPassword}x`, { replace: true });
  await click(page, 'account.password.submit');
  const mismatch = await waitForSnapshot(page, (s) => findItem(s, 'account.password.repeat.error') && s, { what: 'the repeat refused' });
  assert.equal(findItem(mismatch, 'account.password.repeat.error').label, '两次输入的新密码不一致');
  assert.equal(findItem(mismatch, 'account.password.new.error'), null, 'the new password itself is fine now');
  await screenshot(page, 'account-errors');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(passwordPosts.length, 1, 'nothing sent for a check the client can make');

  // The change: said on screen; the other session ended, this one kept.
  await typeInto(page, 'account.password.repeat', newPassword, { replace: true });
  await click(page, 'account.password.submit');
  assert.match((await waitForItem(page, 'account.password.notice')).label, /其他设备上的登录都已退出/);
  assert.equal(passwordPosts.length, 2);
  assert.equal(await meStatus(baseUrl, second.token), 401, 'the other session ended with the change');
  // This client still reads from the server with its session: the list, read again, holds this device alone.
  await waitForSnapshot(page, (s) => s.screen === 'account' && itemsWithPrefix(s, 'account.session.browser.').length === 1 &&
    findItem(s, `account.session.current.${browserId}`) && s, { what: 'the list read again with this device alone' });
  assert.equal(await signInStatus(baseUrl, 'zhaolei', newPassword), 200, 'the new password signs in');
  assert.equal(await signInStatus(baseUrl, 'zhaolei', oldPassword), 401, 'the old one does not');
  const changed = await snapshot(page);
  assert.deepEqual(itemsWithPrefix(changed, 'account.password.').filter((it) => it.id.endsWith('.error')), [], 'no reason left');

  // And keeps working elsewhere: the customer list, then back to the account by its address.
  await click(page, 'nav.customers');
  await waitForScreen(page, 'customers');
  await click(page, 'app.user');
  await waitForScreen(page, 'account');
  await reloadClient(page);
  await waitForSnapshot(page, (s) => s.screen === 'account' && findItem(s, `account.session.current.${browserId}`) && s,
    { what: 'the account screen after a reload, still signed in' });

  // In English: none of the app's words in Chinese.
  await click(page, 'app.lang');
  const english = await waitForSnapshot(page, (s) => s.lang === 'en' && findItem(s, 'account.title')?.label === 'My account' &&
    findItem(s, `account.session.current.${browserId}`)?.label === 'This device' && s, { what: 'the screen in English' });
  const words = english.items.filter((it) => it.label && !['app.lang', 'app.user'].some((d) => it.id.startsWith(d)));
  assert.deepEqual(words.filter((it) => CJK.test(it.label)).map((it) => `${it.id}=${it.label}`), []);
  assert.equal(findItem(english, `account.session.browser.${browserId}`).label, 'Chrome on Linux');
  await screenshot(page, 'account-en');

  // Wrong current passwords until the server stops listening for a while: said in words (English now).
  await typeInto(page, 'account.password.new', newPassword, { replace: true });
  await typeInto(page, 'account.password.repeat', newPassword, { replace: true });
  let status = 0;
  for (let i = 0; i < 10 && status !== 429; ++i) {
    await typeInto(page, 'account.password.old', `wrong-${i}-password`, { replace: true });
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password'));
    await click(page, 'account.password.submit');
    status = (await answer).status();
    if (status === 422) {
      await waitForSnapshot(page, (s) => findItem(s, 'account.password.old.error')?.label === 'the current password is wrong' && s,
        { what: 'the wrong password named in English' });
    }
  }
  assert.equal(status, 429, 'throttled after repeated wrong passwords');
  assert.match((await waitForItem(page, 'account.password.error')).label, /^Password not changed: too many attempts; try again in \d+ seconds$/);

  // Offline: said, and nothing can be sent.
  await context.setOffline(true);
  const offline = await waitForSnapshot(page, (s) => !s.online && findItem(s, 'account.offline') && s, { what: 'the offline notice' });
  assert.equal(findItem(offline, 'account.password.submit').disabled, true, 'the change greyed offline');
  await context.setOffline(false);
});
