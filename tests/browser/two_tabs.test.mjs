// two_tabs — the same user in two tabs of one browser. Both would load the same stored cache and write
// their pages over each other's, so one tab at a time has it. A tab opened later (a link followed into a
// new tab) asks for it: the first stores what it has (an edit still queued included), lets go, and says
// the client is open in another tab; the queued edit is sent once, from the tab that has the cache now.
// When that tab closes, the first carries on by itself; "use it here" takes the cache back at once.
import assert from 'node:assert/strict';

import {
  click, e2e, findItem, login, openClient, recordPageLog, rows, screenshot, typeInto, waitForCustomerList, waitForScreen,
  waitForSnapshot,
} from './lib/index.js';

const PASSWORD = 'Rep-password-2026';

async function twoTabs({ api, baseUrl, context, page }, { locks = true } = {}) {
  const rep = await api.request('POST', '/users', { username: 'zhaomin', display_name: '赵敏', role: 'sales', password: PASSWORD });
  const [customer] = await api.seedCustomers([{ name: '苏州园林文化传播有限公司', owner_id: rep.id }]);
  const renamed = '苏州拙政园林文化传播有限公司';

  await openClient(page, baseUrl);
  assert.equal(await page.evaluate(() => !!navigator.locks), locks, 'Web Locks as the test wants');
  await login(page, 'zhaomin', PASSWORD);
  await waitForCustomerList(page);

  // The first tab's edit cannot reach the server (its requests to the record fail): it stays queued.
  await page.route(`**/api/v1/customers/${customer.id}`, (route) => route.abort());
  await click(page, `customers.row.${customer.id}`);
  await waitForScreen(page, 'customers.detail');
  await click(page, 'record.edit');
  await waitForScreen(page, 'customers.form');
  await typeInto(page, 'form.name', renamed, { replace: true });
  await click(page, 'form.save');
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && s.pending === 1 && findItem(s, 'record.field.name')?.label === renamed && s,
    { what: 'the edit queued in the first tab' });

  // A second tab of the same user asks for the cache; the first hands it over and says where it went.
  const second = recordPageLog(await context.newPage());
  await openClient(second, baseUrl);
  const told = await waitForScreen(page, 'other_tab');
  assert.ok(findItem(told, 'other_tab.title').label.includes('另一个标签页'), findItem(told, 'other_tab.title').label);
  assert.ok(findItem(told, 'other_tab.use_here'), 'the first tab can ask for it back');
  await screenshot(page, 'other-tab');
  // The second has the queued edit and sends it.
  await waitForSnapshot(second, (s) => s.screen === 'dashboard' && s.pending === 0 && s, { what: 'the second tab open, nothing queued', timeout: 30000 });
  await click(second, 'nav.customers');
  await waitForSnapshot(second, (s) => rows(s).some((r) => r.id === `customers.row.${customer.id}` && r.label === renamed) && s,
    { what: 'the edit in the second tab\'s list' });
  const onServer = await api.request('GET', `/customers/${customer.id}`);
  assert.equal(onServer.name, renamed);
  assert.equal(onServer.rev, customer.rev + 1, 'the edit was applied once');

  // The second tab closes: the first has the cache again by itself, with the edit as the server has it.
  await second.close();
  const back = await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && findItem(s, 'record.field.name')?.label === renamed && s,
    { what: 'the first tab carrying on', timeout: 30000 });
  assert.equal(back.pending, 0, 'nothing left queued in the first tab');
  assert.equal((await api.request('GET', `/customers/${customer.id}`)).rev, customer.rev + 1, 'still applied once');

  // A third tab takes it; "use it here" in the first brings it back, and the third says so in turn.
  const third = recordPageLog(await context.newPage());
  await openClient(third, baseUrl);
  await waitForScreen(page, 'other_tab');
  await waitForSnapshot(third, (s) => s.screen === 'dashboard' && s, { what: 'the third tab open' });
  await click(page, 'other_tab.use_here');
  await waitForScreen(third, 'other_tab');
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && findItem(s, 'record.field.name')?.label === renamed && s,
    { what: 'the first tab back at its place', timeout: 30000 });
  await third.close();
}

e2e('one tab at a time has the cache; a queued edit moves with it and is sent once', { timeout: 150000 }, twoTabs);

// Over plain http on a network address the page is not a secure context and has no Web Locks: the same,
// with the localStorage lease in their place.
e2e('the same without Web Locks (plain http): the lease keeps one tab at a time', { timeout: 150000 }, async (env) => {
  await env.context.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true }); });
  await twoTabs(env, { locks: false });
});
