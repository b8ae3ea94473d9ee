// sync_fallback — a server without the sync image (an older one: 404), or an image cut short in transit,
// still gives a complete first sync: the client pages through GET /sync from rev 0 instead, and a bad
// image leaves nothing half-loaded behind.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, e2e, findItem, login, numberIn, openClient, seedCustomerRecords, waitForCustomerList,
  waitForSnapshot,
} from './lib/index.js';

const COUNT = 300;

async function firstSyncWith(page, baseUrl, answerImage) {
  const pages = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/api/v1/sync') pages.push(url.searchParams.get('since'));
  });
  await page.route('**/api/v1/sync/image', answerImage);
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  const snap = await waitForSnapshot(page, (s) => numberIn(findItem(s, 'customers.count')?.label ?? '') === COUNT && s,
    { what: `customers.count to say ${COUNT}`, timeout: 60000 });
  assert.equal(snap.pending, 0);
  assert.equal(pages[0], '0', 'the first sync paged from rev 0');
  return snap;
}

e2e('a server without the sync image is paged from rev 0', { timeout: 120000 }, async ({ api, baseUrl, page }) => {
  await api.seedCustomers(seedCustomerRecords(COUNT), { concurrency: 8 });
  await firstSyncWith(page, baseUrl, (route) => route.fulfill({ status: 404, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'not_found', message: 'not found' } }) }));
});

e2e('an image cut short is refused and the first sync pages instead', { timeout: 120000 }, async ({ api, baseUrl, page }) => {
  await api.seedCustomers(seedCustomerRecords(COUNT), { concurrency: 8 });
  let served = 0;
  await firstSyncWith(page, baseUrl, async (route) => {
    const real = await route.fetch();
    const body = await real.body();
    served = body.length;
    await route.fulfill({ status: 200, contentType: 'application/vnd.sqlite3', body: body.subarray(0, body.length - 4096) });
  });
  assert.ok(served > 4096, `the real image (${served} bytes) was fetched and cut`);
});
