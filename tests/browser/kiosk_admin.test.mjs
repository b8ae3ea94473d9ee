// kiosk_admin — 展示大屏: the admin makes a link for an office TV (a name and its dashboards), sees it once
// with a copy button, opens it as a display, then revokes it after a confirmation: the server refuses the
// token, the display stops, the list says when it was revoked, and the link is not shown again.
// Screenshots kiosk-admin.png and kiosk-admin-revoked.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, pollUntil, screenshot, typeInto,
  waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

e2e('kiosk display links made, copied, opened and revoked', { timeout: 150000 }, async ({ api, baseUrl, browser, page }) => {
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.admin.kiosks');
  await waitForScreen(page, 'admin.kiosks');
  await waitForItem(page, 'kiosks.none');

  // Nothing is sent without a name and a dashboard; the reason shows.
  assert.match((await waitForItem(page, 'kiosks.new.missing')).label, /名称/);
  await typeInto(page, 'kiosks.new.name', '三楼销售部电视');
  assert.match((await waitForItem(page, 'kiosks.new.missing')).label, /看板/);
  await click(page, 'kiosks.new.create');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await api.request('GET', '/admin/kiosk-tokens')).items.length, 0, 'no link without a dashboard');

  // Two dashboards chosen (pipeline after customers on screen; issued in the catalog's order).
  await click(page, 'kiosks.new.dashboard.pipeline');
  await click(page, 'kiosks.new.dashboard.customers');
  await click(page, 'kiosks.new.create');
  const link = (await waitForItem(page, 'kiosks.link')).label;
  const prefix = `${baseUrl}/?kiosk=`;
  assert.ok(link.startsWith(prefix), `the link ${link} starts with ${prefix}`);
  const token = link.slice(prefix.length);
  const [issued] = (await api.request('GET', '/admin/kiosk-tokens')).items;
  assert.equal(issued.name, '三楼销售部电视');
  assert.deepEqual(issued.dashboards, ['pipeline', 'customers']);
  assert.ok(!JSON.stringify(issued).includes(token), 'the list never holds the token');
  await waitForSnapshot(page, (s) => findItem(s, `kiosks.name.${issued.id}`)?.label === '三楼销售部电视' &&
    findItem(s, `kiosks.dashboards.${issued.id}`)?.label === '销售漏斗与预测、客户' &&
    findItem(s, `kiosks.seen.${issued.id}`)?.label === '从未打开' && findItem(s, `kiosks.state.${issued.id}`)?.label === '有效' && s,
  { what: 'the new display listed' });
  assert.match((await waitForItem(page, 'kiosks.link.note')).label, /只显示这一次/);

  // Copied to the system clipboard.
  await click(page, 'kiosks.link.copy');
  await pollUntil(async () => (await page.evaluate(() => navigator.clipboard.readText())) === link,
    { timeoutMs: 5000, what: 'the link on the clipboard' });
  await waitForSnapshot(page, (s) => findItem(s, 'kiosks.notice')?.label === '链接已复制' && s, { what: 'the copy confirmed' });
  await screenshot(page, 'kiosk-admin');

  // The link opens a display with those dashboards (on another device: a browser context of its own).
  const { page: tv } = await browser.newContext();
  await openClient(tv, baseUrl, { query: `&kiosk=${encodeURIComponent(token)}` });
  await waitForSnapshot(tv, (s) => ['kiosk.pipeline', 'kiosk.customers'].includes(s.screen) && s, { what: 'the display up', timeout: 20000 });

  // Leaving the screen forgets the link; the list stays, now with when the display was last seen.
  await click(page, 'nav.admin.users');
  await waitForScreen(page, 'admin.users');
  await click(page, 'nav.admin.kiosks');
  await waitForSnapshot(page, (s) => s.screen === 'admin.kiosks' && findItem(s, `kiosks.seen.${issued.id}`)?.label !== '从未打开' &&
    !findItem(s, 'kiosks.link') && s, { what: 'the list without the link, the display seen' });

  // Revoked after a confirmation; cancelling keeps it.
  await click(page, `kiosks.revoke.${issued.id}`);
  assert.match((await waitForItem(page, 'kiosks_revoke.question')).label, /三楼销售部电视/);
  await click(page, 'kiosks_revoke.cancel');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await api.request('GET', '/admin/kiosk-tokens')).items[0].revoked_at, null, 'cancel keeps the display');
  await click(page, `kiosks.revoke.${issued.id}`);
  await click(page, 'kiosks_revoke.confirm');
  await pollUntil(async () => (await api.request('GET', '/admin/kiosk-tokens')).items[0].revoked_at !== null, { what: 'revoked on the server' });
  const refused = await fetch(`${baseUrl}/api/v1/kiosk`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(refused.status, 401, 'the revoked token is refused');
  await waitForSnapshot(page, (s) => findItem(s, `kiosks.state.${issued.id}`)?.label.startsWith('已撤销') &&
    !findItem(s, `kiosks.revoke.${issued.id}`) && findItem(s, 'kiosks.notice')?.label === '已撤销' && s, { what: 'the display shown revoked' });
  await screenshot(page, 'kiosk-admin-revoked');
  await waitForSnapshot(tv, (s) => s.screen === 'kiosk.revoked' && s, { what: 'the display stopped', timeout: 15000 });
});
