// saved_views — 列表视图: a search, filter and sort saved under a name comes back with one pick, after a reload
// too; changing a filter by hand leaves the view; a view needs a name; deleting asks first. Each step is
// checked on the server (GET /views). Screenshot saved-views.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, choose, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil,
  reloadClient, screenshot, typeInto, waitForCustomerList, waitForItem, waitForSnapshot,
} from './lib/index.js';

const count = (s) => findItem(s, 'customers.count')?.label;

e2e('saved views: save, pick, leave, reload, delete', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  for (const [name, level] of [['华北科技有限公司', 'A'], ['江南科技有限公司', 'A'], ['西湖贸易有限公司', 'A'], ['东方科技有限公司', 'C']])
    await api.request('POST', '/customers', { name, level });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await waitForSnapshot(page, (s) => count(s) === '共 4 条' && s, { what: 'four customers' });

  // Level A, "科技", by name: two customers.
  await choose(page, 'customers.filter.level', 'A 重要客户');
  await typeInto(page, 'customers.search', '科技');
  await choose(page, 'customers.sort', '按客户名称');
  await waitForSnapshot(page, (s) => count(s) === '共 2 条' && s, { what: 'two level-A 科技 customers' });

  // A view needs a name: the dialog's save stays greyed until one is typed.
  await click(page, 'customers.views.save');
  await waitForItem(page, 'customers.views.name');
  await click(page, 'customers.views.confirm');
  await new Promise((r) => setTimeout(r, 400));
  assert.ok(await waitForItem(page, 'customers.views.name'), 'the dialog stays open without a name');
  await typeInto(page, 'customers.views.name', '重点科技客户');
  await screenshot(page, 'saved-views.png');
  await click(page, 'customers.views.confirm');
  const [view] = await pollUntil(async () => {
    const items = (await api.request('GET', '/views')).items;
    return items.length === 1 && items;
  }, { what: 'the view on the server' });
  assert.equal(view.name, '重点科技客户');
  assert.equal(view.resource, 'customers');
  assert.deepEqual(view.filters, { level: 'A', q: '科技' });
  assert.equal(view.sort, 'name');
  await waitForSnapshot(page, (s) => findItem(s, 'customers.views')?.label === '重点科技客户' && s, { what: 'the view shown as chosen' });

  // A filter changed by hand leaves the view; picking it brings everything back.
  await choose(page, 'customers.filter.level', '全部客户级别');
  await typeInto(page, 'customers.search', '', { replace: true });
  await waitForSnapshot(page, (s) => count(s) === '共 4 条' && findItem(s, 'customers.views')?.label === '列表视图' && s,
    { what: 'the whole list, no view chosen' });
  await choose(page, 'customers.views', '重点科技客户');
  // The search box is drawn before the views menu, so it shows the view's text from the frame after.
  let snap = await waitForSnapshot(page, (s) => count(s) === '共 2 条' && findItem(s, 'customers.search')?.label === '科技' && s,
    { what: 'the view applied' });
  assert.equal(findItem(snap, 'customers.filter.level').label, 'A 重要客户');
  assert.equal(findItem(snap, 'customers.search').label, '科技');
  assert.equal(findItem(snap, 'customers.sort').label, '按客户名称');

  // Views live on the server: still offered after a reload.
  await reloadClient(page);
  await waitForCustomerList(page);
  await choose(page, 'customers.views', '重点科技客户');
  await waitForSnapshot(page, (s) => count(s) === '共 2 条' && s, { what: 'the view after a reload' });

  // Deleting asks first; cancel keeps it.
  await click(page, 'customers.views.delete');
  await click(page, 'customers.views_delete.cancel');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal((await api.request('GET', '/views')).items.length, 1);
  await click(page, 'customers.views.delete');
  const asked = await waitForItem(page, 'customers.views_delete.question');
  assert.match(asked.label, /重点科技客户/);
  await click(page, 'customers.views_delete.confirm');
  await pollUntil(async () => (await api.request('GET', '/views')).items.length === 0, { what: 'the view deleted' });
  await waitForSnapshot(page, (s) => findItem(s, 'customers.views')?.label === '列表视图' && !findItem(s, 'customers.views.delete') && s,
    { what: 'no view left to choose' });
});
