// sync_pages — a first sync arrives as one sync image (GET /api/v1/sync/image: the server's data with its
// search index, loaded whole) and later changes as /sync pages (the client asks for the next page while
// it applies the last): every customer shows exactly once, search works on what the image brought, and
// the cache, stored to IndexedDB in slices of 1 MB, comes back whole when the page is reloaded with the
// server down.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, e2e, findItem, login, numberIn, openClient, pollUntil, reloadClient, seedCustomerRecords,
  waitForCustomerList, waitForSnapshot,
} from './lib/index.js';

const BEFORE = 1500;  // in the image
const AFTER = 4500;   // one rev per created customer: three pages of at most 2000 changes

function syncRequests(page) {
  const seen = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/v1/sync')) seen.push({ path: url.pathname, since: url.searchParams.get('since'), status: r.status() });
  });
  return seen;
}

const countOf = (s) => numberIn(findItem(s, 'customers.count')?.label ?? '');

e2e('a first sync loads the sync image, later changes come in pages, each customer once', { timeout: 300000 }, async ({ api, baseUrl, context, page, cdp, server }) => {
  const records = seedCustomerRecords(BEFORE + AFTER);  // distinct names and phones: no duplicate guard
  const first = await api.seedCustomers(records.slice(0, BEFORE), { concurrency: 8 });
  assert.equal(new Set(first.map((c) => c.id)).size, BEFORE);
  const requests = syncRequests(page);

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  let snap = await waitForSnapshot(page, (s) => countOf(s) === BEFORE && s, { what: `customers.count to say ${BEFORE}`, timeout: 60000 });
  assert.equal(snap.pending, 0);
  const images = requests.filter((r) => r.path === '/api/v1/sync/image');
  assert.deepEqual(images.map((r) => r.status), [200], 'the first sync asked for the image once');
  assert.ok(!requests.some((r) => r.path === '/api/v1/sync' && r.since === '0'), 'no page from rev 0: the image carried it');

  // (login_sync_search searches the list a first sync, now the image, brought.)
  // The client is closed while the later customers are made (open, it would hear of each through
  // GET /events and pull them as they come); its stored cache is whole first.
  await pollUntil(() => page.evaluate(() => {
    const f = window.kehuBoot.flushes;
    return f.length > 0 && f.every((x) => x.end > 0);
  }), { what: 'the first sync stored', timeoutMs: 30000 });
  await page.goto('about:blank');
  const later = await api.seedCustomers(records.slice(BEFORE), { concurrency: 8 });
  assert.equal(new Set([...first, ...later].map((c) => c.id)).size, BEFORE + AFTER);
  requests.length = 0;
  await openClient(page, baseUrl, { query: '#/customers' });  // online: the reopened client pulls what changed since the image
  snap = await waitForSnapshot(page, (s) => s.screen === 'customers' && countOf(s) === BEFORE + AFTER && s,
    { what: `customers.count to say ${BEFORE + AFTER}`, timeout: 90000 });
  const pages = requests.filter((r) => r.path === '/api/v1/sync');
  assert.ok(pages.length >= 3, `${pages.length} /sync pages for ${AFTER} changes`);
  assert.ok(!requests.some((r) => r.path === '/api/v1/sync/image'), 'a cache that holds data is never replaced by an image');

  // Every flush committed (the last one carries the end of the sync), then a reload with nothing to sync
  // from: the list can only come from the stored cache.
  const flushes = await pollUntil(() => page.evaluate(() => {
    const f = window.kehuBoot.flushes;
    return f.length > 0 && f.every((x) => x.end > 0) && f;
  }), { what: 'every cache flush committed', timeoutMs: 30000 });
  const stored = flushes.reduce((sum, f) => sum + f.bytes, 0);
  assert.ok(stored > 2 * 1024 * 1024, `the cache flushed ${stored} bytes: more than one slice of 1 MB`);
  await context.setOffline(true);
  await cdp.detach();  // an extra CDP session across an offline reload breaks navigator.onLine (README)
  await server.halt();
  await reloadClient(page);
  await waitForSnapshot(page, (s) => s.screen === 'customers' && countOf(s) === BEFORE + AFTER && s,
    { what: `customers.count to say ${BEFORE + AFTER} after an offline reload`, timeout: 60000 });
});
