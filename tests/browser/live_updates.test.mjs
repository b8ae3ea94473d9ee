// live_updates — the server's event stream (GET /api/v1/events) in the real client: a rep's open list
// shows an edit made elsewhere within seconds (the poll without the stream comes every 30 s), and a
// customer reassigned to someone else leaves the rep's list and cache. When the server refuses the stream
// (its streams are full: 503), the status bar says the client checks every 30 s, and it does.
import assert from 'node:assert/strict';

import {
  Api, e2e, findItem, login, numberIn, openClient, rows, screenshot, waitForCustomerList, waitForSnapshot,
} from './lib/index.js';

const PASSWORD = 'Rep-password-2026';

async function repWithCustomers(api, names) {
  const rep = await api.request('POST', '/users', { username: 'wangfang', display_name: '王芳', role: 'sales', password: PASSWORD });
  const other = await api.request('POST', '/users', { username: 'lilei', display_name: '李雷', role: 'sales', password: PASSWORD });
  const customers = await api.seedCustomers(names.map((name) => ({ name, owner_id: rep.id })));
  return { rep, other, customers };
}

const count = (s) => numberIn(findItem(s, 'customers.count')?.label ?? '');

e2e('edits and reassignments made elsewhere reach an open list at once', { timeout: 120000 }, async ({ api, baseUrl, page }) => {
  const { other, customers } = await repWithCustomers(api, ['常州龙城机械有限公司', '扬州运河食品有限公司']);
  const [kept, moved] = customers;
  const events = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/events') events.push(r.url()); });

  await openClient(page, baseUrl);
  await login(page, 'wangfang', PASSWORD);
  await waitForCustomerList(page);
  await waitForSnapshot(page, (s) => count(s) === 2 && findItem(s, 'status.live')?.label === '实时更新' && s,
    { what: 'both customers listed, and the status bar saying updates are live' });
  assert.ok(events.length >= 1, 'the client opened the event stream');
  assert.ok(events.every((u) => new URL(u).search === ''), `the session rides in its cookie, never in an address: ${events}`);

  // Renamed by the admin on the server: the rep's list shows it well before a 30 s poll could.
  const renamed = '常州龙城精密机械有限公司';
  const current = await api.request('GET', `/customers/${kept.id}`);
  const started = Date.now();
  await api.request('PATCH', `/customers/${kept.id}`, { rev: current.rev, name: renamed });
  await waitForSnapshot(page, (s) => rows(s).some((r) => r.id === `customers.row.${kept.id}` && r.label === renamed) && s,
    { what: 'the new name in the open list', timeout: 10000 });
  console.log(`# an edit on the server reached the open list in ${Date.now() - started} ms`);

  // Reassigned to another rep: gone from this rep's list and cache (the count is the cache's).
  const before = await api.request('GET', `/customers/${moved.id}`);
  await api.request('PATCH', `/customers/${moved.id}`, { rev: before.rev, owner_id: other.id });
  const after = await waitForSnapshot(page, (s) => count(s) === 1 && !findItem(s, `customers.row.${moved.id}`) && s,
    { what: 'the reassigned customer gone from the list', timeout: 10000 });
  assert.ok(findItem(after, `customers.row.${kept.id}`), 'the customer still theirs stays');
  await screenshot(page, 'live-updates');
});

e2e('a refused event stream falls back to polling', { timeout: 120000 }, async ({ api, baseUrl, page }) => {
  const { customers } = await repWithCustomers(api, ['镇江香醋贸易有限公司']);
  let refused = 0;
  await page.route('**/api/v1/events', (route) => {
    ++refused;
    return route.fulfill({ status: 503, contentType: 'application/json', headers: { 'Retry-After': '60' },
      body: JSON.stringify({ error: { code: 'busy', message: '实时通知连接已满，将定时刷新' } }) });
  });
  await openClient(page, baseUrl);
  await login(page, 'wangfang', PASSWORD);
  await waitForCustomerList(page);
  await waitForSnapshot(page, (s) => count(s) === 1 && findItem(s, 'status.live')?.label === '每 30 秒检查更新' && s,
    { what: 'the status bar saying the client checks every 30 s' });
  assert.ok(refused >= 1, 'the client asked for the stream');

  const renamed = '镇江金山香醋贸易有限公司';
  const current = await api.request('GET', `/customers/${customers[0].id}`);
  await api.request('PATCH', `/customers/${customers[0].id}`, { rev: current.rev, name: renamed });
  await waitForSnapshot(page, (s) => rows(s).some((r) => r.label === renamed) && s,
    { what: 'the new name after the next poll', timeout: 45000 });
  assert.equal(refused, 1, 'a refused stream is not asked for again within the minute');
});
