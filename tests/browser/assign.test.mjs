// assign — a manager or admin hands a customer to a sales rep (分配) from its page, and later back to the
// pool (公海); each is an edit through the outbox, checked on the server; the rep then sees the customer and
// may not assign it further (no button on the rep's page).
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, Api, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil, waitForCustomerList,
  waitForScreen, waitForSnapshot,
} from './lib/index.js';

e2e('assign a customer to a rep and back to the pool', { timeout: 150000 }, async ({ api, baseUrl, browser, page }) => {
  const password = 'Rep-password-2026';
  const rep = await api.request('POST', '/users', { username: 'chenjing', display_name: '陈静', role: 'sales', password });
  const [customer] = await api.seedCustomers([{ name: '无锡太湖纺织有限公司' }]);

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, `customers.row.${customer.id}`);
  await waitForScreen(page, 'customers.detail');
  await click(page, 'action.assign');
  await click(page, 'assign.owner');
  const open = await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'assign.owner.').length >= 3 && s, { what: 'the people to choose from' });
  const choice = itemsWithPrefix(open, 'assign.owner.').find((i) => i.label === '陈静');
  assert.ok(choice, `陈静 is a choice: ${itemsWithPrefix(open, 'assign.owner.').map((i) => i.label)}`);
  await click(page, choice.id);
  await click(page, 'assign.confirm');
  await pollUntil(async () => (await api.request('GET', `/customers/${customer.id}`)).owner_id === rep.id, { what: 'the customer assigned' });
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.owner_id')?.label === '陈静' && s.pending === 0 && s, { what: 'the new owner on the page' });

  // The rep sees it, without an assign button.
  const repApi = new Api(baseUrl);
  await repApi.login('chenjing', password);
  assert.equal((await repApi.request('GET', `/customers/${customer.id}`)).name, customer.name);
  const other = await browser.newContext();
  await openClient(other.page, baseUrl);
  await login(other.page, 'chenjing', password);
  await waitForCustomerList(other.page);
  await click(other.page, `customers.row.${customer.id}`);
  const repView = await waitForSnapshot(other.page, (s) => s.screen === 'customers.detail' && findItem(s, 'record.edit') && s, { what: "the rep's page" });
  assert.equal(findItem(repView, 'action.assign'), null, 'a rep cannot assign');
  await other.context.close();

  // Back to the pool: the last choice.
  await click(page, 'action.assign');
  await click(page, 'assign.owner');
  const again = await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'assign.owner.').length >= 3 && s, { what: 'the choices again' });
  const pool = itemsWithPrefix(again, 'assign.owner.').find((i) => i.label === '（公海）');
  assert.ok(pool, 'the pool is a choice');
  await click(page, pool.id);
  await click(page, 'assign.confirm');
  await pollUntil(async () => (await api.request('GET', `/customers/${customer.id}`)).owner_id === null, { what: 'the customer in the pool' });
  await waitForSnapshot(page, (s) => findItem(s, 'action.claim') && s, { what: 'the pool customer can be claimed' });
});
