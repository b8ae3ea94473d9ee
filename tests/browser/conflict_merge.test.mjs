// conflict_merge — two people edit the same customer offline (SPEC §6). The first back online is saved;
// the second's edit meets a conflict: the field only they changed merges by itself, the other person's
// field shows on their page, and the field both changed opens the merge dialog (mine / theirs, with who
// changed theirs). The choice reaches the server, and nothing either person typed is lost unseen.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, pollUntil, screenshot, typeInto, waitForCustomerList,
  waitForScreen, waitForSnapshot,
} from './lib/index.js';

// Opens the customer's page, edits `fields` ({form id: text}) and saves while offline.
async function editOffline(page, customerId, fields) {
  await click(page, `customers.row.${customerId}`);
  await waitForScreen(page, 'customers.detail');
  await click(page, 'record.edit');
  await waitForScreen(page, 'customers.form');
  for (const [id, text] of Object.entries(fields)) {
    await typeInto(page, id, text, { replace: true });
    await waitForSnapshot(page, (s) => findItem(s, id)?.label === text && s, { what: `${id} to read ${text}` });
  }
  await click(page, 'form.save');
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && s.pending === 1 && s, { what: 'the edit queued offline' });
}

e2e('an offline edit meeting another person\'s: one-sided fields merge, the shared field asks', { timeout: 180000 }, async ({ api, baseUrl, browser, context, page }) => {
  const password = 'Second-admin-2026';
  await api.request('POST', '/users', { username: 'lijing', display_name: '李静', role: 'admin', password });
  const [customer] = await api.seedCustomers([{ name: '杭州合并测试有限公司', phone: '0571-0000', notes: '原始备注' }]);

  // Two people, each with the customer in their cache.
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  const other = await browser.newContext();
  await openClient(other.page, baseUrl);
  await login(other.page, 'lijing', password);
  await waitForCustomerList(other.page);

  await context.setOffline(true);
  await other.context.setOffline(true);
  await waitForSnapshot(page, (s) => s.online === false && s, { what: 'the first person offline' });
  await waitForSnapshot(other.page, (s) => s.online === false && s, { what: 'the second person offline' });
  await editOffline(page, customer.id, { 'form.notes': '甲的备注', 'form.phone': '0571-1111' });
  await editOffline(other.page, customer.id, { 'form.notes': '乙的备注', 'form.address': '杭州市西湖区文三路' });

  // The second person is back first: their edit is saved as it is.
  await other.context.setOffline(false);
  await pollUntil(async () => (await api.request('GET', `/customers/${customer.id}`)).notes === '乙的备注', { what: "the second person's edit on the server" });

  // The first person's edit meets it: the merge dialog opens by itself.
  await context.setOffline(false);
  const dialog = await waitForSnapshot(page, (s) => s.items.some((it) => it.id.startsWith('failed.theirs.')) && s, { what: 'the merge dialog', timeout: 30000 });
  const mine = dialog.items.find((it) => it.id.startsWith('failed.mine.') && it.id.endsWith('.notes'));
  const theirs = dialog.items.find((it) => it.id.startsWith('failed.theirs.') && it.id.endsWith('.notes'));
  assert.ok(mine && theirs, `notes is the conflicting field: ${dialog.items.filter((it) => it.id.startsWith('failed.')).map((it) => it.id)}`);
  assert.equal(mine.label, '甲的备注|true', 'my value, chosen until I say otherwise');
  assert.equal(theirs.label, '乙的备注|false');
  assert.equal(dialog.items.filter((it) => it.id.startsWith('failed.theirs.')).length, 1, 'only the field both changed asks');
  const who = dialog.items.find((it) => it.id.startsWith('failed.merge.who.'));
  assert.match(who.label, /李静/, 'who changed theirs');
  const merged = dialog.items.find((it) => it.id.startsWith('failed.merge.auto.'));
  assert.match(merged.label, /电话/, 'the phone, changed only here, merged by itself');
  // Nothing is sent before the answer; the page shows the other person's address and my phone already.
  assert.equal((await api.request('GET', `/customers/${customer.id}`)).phone, '0571-0000');
  await screenshot(page, 'conflict-merge');

  // Keep theirs for the notes: the phone still goes, the notes stay the other person's.
  await click(page, theirs.id);
  await waitForSnapshot(page, (s) => findItem(s, theirs.id)?.label === '乙的备注|true' && s, { what: 'theirs chosen' });
  await click(page, dialog.items.find((it) => it.id.startsWith('failed.merge.') && /^failed\.merge\.\d+$/.test(it.id)).id);
  await pollUntil(async () => (await api.request('GET', `/customers/${customer.id}`)).phone === '0571-1111', { what: 'the merged phone on the server' });
  const saved = await api.request('GET', `/customers/${customer.id}`);
  assert.equal(saved.notes, '乙的备注');
  assert.equal(saved.address, '杭州市西湖区文三路');
  await waitForSnapshot(page, (s) => s.pending === 0 && !findItem(s, 'status.failed') && findItem(s, 'record.field.notes')?.label === '乙的备注' &&
    findItem(s, 'record.field.phone')?.label === '0571-1111' && findItem(s, 'record.field.address')?.label === '杭州市西湖区文三路' && s,
  { what: 'the merged customer on the first page, nothing waiting' });
  await other.context.close();
});
