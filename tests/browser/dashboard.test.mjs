// dashboard — the first screen after sign-in: its figures come from the cache and match what the server
// holds; only current announcements for the user's role show; today's and overdue activities are
// listed; a due reminder pops up and stays closed once dismissed; a tile opens its module; a hundred days
// later (the page's clock) the customers nobody contacted are listed and open (screenshots dashboard.png,
// dashboard-forgotten.png under BUILD/screenshots/).
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, itemsWithPrefix, login, openClient, screenshot, waitForItem,
  waitForSnapshot,
} from './lib/index.js';

const iso = (ms) => new Date(ms).toISOString();

e2e('the dashboard: figures, announcements, today, reminders', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  const now = Date.now();
  const [a] = await api.seedCustomers([{ name: '厦门鹭岛科技' }, { name: '福州榕城贸易' }]);
  await api.request('POST', '/opportunities', { customer_id: a.id, title: '云平台采购', amount: 12345600 });
  const won = await api.request('POST', '/opportunities', { customer_id: a.id, title: '已签单', amount: 999 });
  await api.request('PATCH', `/opportunities/${won.id}`, { rev: won.rev, stage: 'won' });
  const c = await api.request('POST', '/contracts', { customer_id: a.id, title: '待审合同' });
  await api.request('POST', `/contracts/${c.id}/transition`, { to: 'pending_approval' });
  await api.request('POST', '/tickets', { customer_id: a.id, type: 'complaint', subject: '打印机卡纸' });
  const p = await api.request('POST', '/products', { sku: 'D-1', name: '打印纸', price: 5000, stock: 100 });
  await api.request('POST', '/orders', { customer_id: a.id, order_date: iso(now).slice(0, 10), items: [{ product_id: p.id, quantity: 3 }] });
  const notice = await api.request('POST', '/announcements', { title: '年终盘点通知', body: '12 月 28 日起盘点三天' });
  await api.request('POST', '/announcements', { title: '只给客服的公告', audience: ['service'] });
  await api.request('POST', '/announcements', { title: '过期公告', expire_at: iso(now - 3600e3) });
  const today = await api.request('POST', '/activities', { type: 'call', subject: '回访鹭岛科技', customer_id: a.id, due_at: iso(now + 600e3) });
  const late = await api.request('POST', '/activities', { type: 'visit', subject: '上门拜访（昨天）', customer_id: a.id, due_at: iso(now - 86400e3) });
  const remind = await api.request('POST', '/activities', {
    type: 'meeting', subject: '季度评审会', customer_id: a.id, start_at: iso(now + 7 * 86400e3), remind_at: iso(now - 60e3),
  });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  const snap = await waitForSnapshot(page, (s) => s.screen === 'dashboard' && findItem(s, 'dash.tile.orders')?.label.startsWith('1 ') && s,
    { what: 'the dashboard with the synced figures', timeout: 60000 });
  assert.equal(findItem(snap, 'dash.tile.customers').label, '2');
  assert.equal(findItem(snap, 'dash.tile.opportunities').label, '1 ¥123,456.00', 'the won one is not open');
  assert.equal(findItem(snap, 'dash.tile.contracts').label, '1');
  assert.equal(findItem(snap, 'dash.tile.tickets').label, '1');
  assert.equal(findItem(snap, 'dash.tile.orders').label, '1 ¥150.00');
  const notices = itemsWithPrefix(snap, 'dash.announcement.').filter((it) => !it.id.includes('.body.'));
  assert.deepEqual(notices.map((n) => n.label), ['年终盘点通知'], 'only the current all-staff announcement');
  assert.ok(findItem(snap, `dash.announcement.${notice.id}`));
  assert.ok(findItem(snap, `dash.today.${today.id}`), 'due today');
  assert.ok(findItem(snap, `dash.today.${late.id}`), 'overdue');
  assert.equal(findItem(snap, `dash.today.${remind.id}`), null, 'next week is not today');

  // The reminder that came due, until dismissed.
  await waitForItem(page, `reminder.${remind.id}`);
  await screenshot(page, 'dashboard-reminder.png');
  await click(page, 'reminder.dismiss');
  await waitForSnapshot(page, (s) => !findItem(s, `reminder.${remind.id}`) && s, { what: 'the reminder closed' });
  await screenshot(page, 'dashboard.png');

  await click(page, 'dash.tile.contracts');
  await waitForSnapshot(page, (s) => s.screen === 'contracts' && s, { what: 'the contract list from its tile' });
  await click(page, 'nav.dashboard');
  const back = await waitForSnapshot(page, (s) => s.screen === 'dashboard' && s, { what: 'the dashboard again' });
  assert.equal(findItem(back, `reminder.${remind.id}`), null, 'a dismissed reminder stays closed');
  assert.equal(findItem(back, 'dash.forgotten'), null, 'no customer is forgotten yet');

  // A hundred days on (the page's clock), with no contact: both customers are past the 90 churn days.
  await page.clock.setFixedTime(now + 100 * 86400e3 + 3600e3);
  const later = await waitForSnapshot(page, (s) => findItem(s, 'dash.forgotten') && s, { what: 'the forgotten customers', timeout: 20000 });
  assert.equal(findItem(later, 'dash.forgotten').label, '久未联系的客户（超过 90 天，共 2 位）');
  const forgotten = itemsWithPrefix(later, 'dash.forgotten.');
  assert.equal(forgotten.length, 2);
  assert.ok(forgotten.some((it) => /^福州榕城贸易  100 天未联系$/.test(it.label)), forgotten.map((it) => it.label).join(' | '));
  await screenshot(page, 'dashboard-forgotten.png');
  await click(page, `dash.forgotten.${a.id}`);
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && s, { what: 'the forgotten customer opened' });
});
