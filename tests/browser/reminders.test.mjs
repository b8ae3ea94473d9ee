// reminders — a due reminder pops up on any screen; "知道了" closes it for good and "10 分钟后再提醒" for ten
// minutes, and both answers are remembered on the device: a reload does not ask again, the snoozed one
// comes back once its ten minutes are over (the page's clock moved on with page.clock.setFixedTime), and
// a reminder not yet due stays quiet until its time.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, reloadClient, sleep, waitForItem, waitForSnapshot,
} from './lib/index.js';

const iso = (ms) => new Date(ms).toISOString();

e2e('reminders: dismissed and snoozed answers survive a reload', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  const now = Date.now();
  const [customer] = await api.seedCustomers([{ name: '厦门鹭岛科技' }]);
  const due = await api.request('POST', '/activities', {
    type: 'meeting', subject: '季度评审会', customer_id: customer.id, start_at: iso(now + 7 * 86400e3), remind_at: iso(now - 60e3),
  });
  const later = await api.request('POST', '/activities', {
    type: 'call', subject: '合同续签电话', customer_id: customer.id, start_at: iso(now + 7 * 86400e3), remind_at: iso(now + 5 * 60e3),
  });
  const dashboard = (what) => waitForSnapshot(page, (s) => s.screen === 'dashboard' && findItem(s, 'dash.tile.customers') && s, { what, timeout: 60000 });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForItem(page, `reminder.${due.id}`);
  let snap = await dashboard('the dashboard under the reminder');
  assert.equal(findItem(snap, `reminder.${later.id}`), null, 'not due yet');
  await click(page, 'reminder.dismiss');
  await waitForSnapshot(page, (s) => !findItem(s, `reminder.${due.id}`) && !findItem(s, 'status.saving') && s, { what: 'the reminder closed' });
  await sleep(500);  // the device copy (IndexedDB) is written as it would be before a tab is closed

  // Dismissed is remembered across a reload.
  await reloadClient(page);
  await dashboard('the dashboard after a reload');
  await sleep(1500);
  snap = await dashboard('the dashboard, still quiet');
  assert.equal(findItem(snap, `reminder.${due.id}`), null, 'a dismissed reminder does not ask again after a reload');

  // Six minutes on, the later one is due; snoozed, it stays away across a reload ...
  await page.clock.setFixedTime(now + 6 * 60e3);
  snap = await waitForItem(page, `reminder.${later.id}`).then(() => dashboard('the later reminder'));
  assert.equal(findItem(snap, `reminder.${due.id}`), null, 'only the new one');
  await click(page, 'reminder.snooze');
  await waitForSnapshot(page, (s) => !findItem(s, `reminder.${later.id}`) && !findItem(s, 'status.saving') && s, { what: 'the reminder snoozed' });
  await sleep(500);
  await reloadClient(page);
  await page.clock.setFixedTime(now + 7 * 60e3);
  await dashboard('the dashboard after a reload');
  await sleep(1500);
  snap = await dashboard('the dashboard, still quiet');
  assert.equal(findItem(snap, `reminder.${later.id}`), null, 'snoozed for ten minutes');

  // ... and comes back when the ten minutes are over.
  await page.clock.setFixedTime(now + 17 * 60e3);
  await waitForItem(page, `reminder.${later.id}`);
  await click(page, 'reminder.dismiss');
  await waitForSnapshot(page, (s) => !findItem(s, `reminder.${later.id}`) && s, { what: 'the reminder dismissed' });
});
