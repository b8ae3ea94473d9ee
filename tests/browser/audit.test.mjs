// audit — 审计日志: the admin reads who did what: the sign-in, a customer created in the client and its phone
// changed through the API (old → new, by field label), newest first; the action and module filters narrow
// the list to what the server holds for them. Screenshot audit.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, itemsWithPrefix, login, openClient, screenshot, waitForCustomerList,
  waitForScreen, waitForSnapshot,
} from './lib/index.js';

e2e('the audit log: entries, changes, filters', { timeout: 120000 }, async ({ api, baseUrl, page }) => {
  const [customer] = await api.seedCustomers([{ name: '审计测试客户', phone: '021-55550000' }]);
  await api.request('PATCH', `/customers/${customer.id}`, { rev: customer.rev, phone: '021-55559999' });
  await api.request('POST', '/products', { sku: 'AU-1', name: '审计产品', price: 100 });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.admin.audit');
  await waitForScreen(page, 'admin.audit');
  const all = await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'audit.row.').length >= 4 && s, { what: 'the audit entries' });
  const rows = itemsWithPrefix(all, 'audit.row.');
  const server = (await api.request('GET', '/audit?limit=200')).items;
  console.log(`# newest: ${rows[0].label}`);
  assert.equal(rows[0].id, `audit.row.${server[0].id}`, 'newest first, as the server has them');
  const update = server.find((a) => a.action === 'update' && a.entity === 'customers' && a.entity_id === customer.id);
  const shown = findItem(all, `audit.row.${update.id}`);
  assert.ok(shown.label.includes(`修改 客户 #${customer.id}`) && shown.label.includes('电话: 021-55550000 → 021-55559999'), shown.label);
  assert.ok(rows.some((r) => r.label.includes('登录')), 'the sign-in is there');
  await screenshot(page, 'audit.png');

  // Only updates; then only products.
  await click(page, 'audit.filter.action');
  await click(page, 'audit.filter.action.1');  // update
  const updates = await waitForSnapshot(page, (s) => {
    const r = itemsWithPrefix(s, 'audit.row.');
    return r.length > 0 && r.every((i) => i.label.includes(' 修改 ')) && s;
  }, { what: 'only updates' });
  const serverUpdates = (await api.request('GET', '/audit?limit=200&action=update')).items;
  assert.equal(itemsWithPrefix(updates, 'audit.row.').length, serverUpdates.length);
  await click(page, 'audit.filter.action');
  await click(page, 'audit.filter.action.none');
  await click(page, 'audit.filter.entity');
  const products = (await api.request('GET', '/audit?limit=200&entity=products')).items;
  // A combo's list is complete from its second frame (ImGui sizes it, hidden, in the first).
  const open = await waitForSnapshot(page, (s) => findItem(s, 'audit.filter.entity.none') &&
    itemsWithPrefix(s, 'audit.filter.entity.').some((i) => i.label === '产品维护') && s, { what: 'the products module among the choices' });
  const option = itemsWithPrefix(open, 'audit.filter.entity.').find((i) => i.label === '产品维护');
  assert.ok(option, 'the products module is a choice');
  await click(page, option.id);
  await waitForSnapshot(page, (s) => {
    const r = itemsWithPrefix(s, 'audit.row.');
    return r.length === products.length && r.every((i) => i.label.includes('产品维护')) && s;
  }, { what: 'only product entries' });
});
