// sync_pages — a first sync of several /sync pages (the client asks for the next page while it applies
// the last) brings every customer exactly once; the cache, stored to IndexedDB in slices of 1 MB,
// comes back whole when the page is reloaded with the server down.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, e2e, findItem, login, numberIn, openClient, pollUntil, reloadClient, seedCustomerRecords,
  waitForCustomerList, waitForSnapshot,
} from './lib/index.js';

const COUNT = 4500;  // one rev per created customer: three pages of at most 2000 changes

e2e('a first sync of several pages brings every customer once', { timeout: 240000 }, async ({ api, baseUrl, context, page, cdp, server }) => {
  const created = await api.seedCustomers(seedCustomerRecords(COUNT), { concurrency: 8 });
  assert.equal(new Set(created.map((c) => c.id)).size, COUNT);

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  const snap = await waitForSnapshot(page, (s) => numberIn(findItem(s, 'customers.count')?.label ?? '') === COUNT && s,
    { what: `customers.count to say ${COUNT}`, timeout: 60000 });
  assert.equal(snap.pending, 0);

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
  await waitForSnapshot(page, (s) => s.screen === 'customers' && numberIn(findItem(s, 'customers.count')?.label ?? '') === COUNT && s,
    { what: `customers.count to say ${COUNT} after an offline reload`, timeout: 60000 });
});
