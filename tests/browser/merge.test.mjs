// merge — 合并重复客户 from a customer's page (managers and admins): the duplicate is found by typing part of
// its name; a customer cannot be merged into itself (the merge stays greyed, the dialog says why); after
// the merge the duplicate is gone on the server, its contact belongs to the kept customer, and the kept
// customer's page lists it once the sync brings the change. A sales rep has no merge button. Screenshot
// merge-dialog.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil, screenshot,
  typeInto, waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

async function pick(page, text, name) {
  await typeInto(page, 'merge.customer', text);
  const snap = await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'merge.customer.match.').some((it) => it.label.startsWith(name)) && s,
    { what: `${name} among the matches` });
  await click(page, itemsWithPrefix(snap, 'merge.customer.match.').find((it) => it.label.startsWith(name)).id);
}

e2e('a duplicate customer merged into the one kept', { timeout: 150000 }, async ({ api, baseUrl, browser, page }) => {
  const keep = await api.request('POST', '/customers', { name: '华夏科技有限公司', phone: '010-65521234' });
  const dup = await api.request('POST', '/customers', { name: '华夏科技（北京）有限公司' });
  const contact = await api.request('POST', '/contacts', { customer_id: dup.id, name: '孙丽' });
  const password = 'Merge-pw-2026';
  const repUser = await api.request('POST', '/users', { username: 'zhaoyun', display_name: '赵云', role: 'sales', password });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, `customers.row.${keep.id}`);
  await waitForScreen(page, 'customers.detail');
  await click(page, 'action.merge');
  await waitForItem(page, 'merge.customer');

  // Not into itself.
  await pick(page, '华夏科技有限', keep.name);
  await waitForItem(page, 'merge.self');
  await click(page, 'merge.confirm');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal((await api.request('GET', '/customers')).items.length, 2, 'nothing merged');

  await click(page, 'merge.customer.clear');
  await pick(page, '北京', dup.name);
  await waitForSnapshot(page, (s) => !findItem(s, 'merge.self') && s, { what: 'the duplicate picked' });
  await screenshot(page, 'merge-dialog.png');
  await click(page, 'merge.confirm');

  await pollUntil(async () => (await api.request('GET', '/customers')).items.length === 1, { what: 'the duplicate gone' });
  assert.equal((await api.request('GET', `/contacts/${contact.id}`)).customer_id, keep.id);
  await waitForSnapshot(page, (s) => findItem(s, `related.contacts.row.${contact.id}`) && s, { what: "the duplicate's contact on the kept page" });

  // A sales rep may not merge.
  const mine = await api.request('POST', '/customers', { name: '赵云的客户有限公司', owner_id: repUser.id });
  const rep = await browser.newContext();
  await openClient(rep.page, baseUrl);
  await login(rep.page, 'zhaoyun', password);
  await waitForCustomerList(rep.page);
  await waitForSnapshot(rep.page, (s) => findItem(s, `customers.row.${mine.id}`) && s, { what: "the rep's customer" });
  await click(rep.page, `customers.row.${mine.id}`);
  const page2 = await waitForSnapshot(rep.page, (s) => s.screen === 'customers.detail' && findItem(s, 'record.edit') && s, { what: "the rep's page" });
  assert.equal(findItem(page2, 'action.merge'), null);
});
