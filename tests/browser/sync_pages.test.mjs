// sync_pages — a first sync of several /sync pages (the client asks for the next page while it applies
// the last) brings every customer exactly once, and the list and its search agree with the server.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, e2e, findItem, login, numberIn, openClient, seedCustomerRecords, waitForCustomerList,
  waitForSnapshot,
} from './lib/index.js';

const COUNT = 4500;  // one rev per created customer: three pages of at most 2000 changes

e2e('a first sync of several pages brings every customer once', { timeout: 240000 }, async ({ api, baseUrl, page }) => {
  const created = await api.seedCustomers(seedCustomerRecords(COUNT), { concurrency: 8 });
  assert.equal(new Set(created.map((c) => c.id)).size, COUNT);

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  const snap = await waitForSnapshot(page, (s) => numberIn(findItem(s, 'customers.count')?.label ?? '') === COUNT && s,
    { what: `customers.count to say ${COUNT}`, timeout: 60000 });
  assert.equal(snap.pending, 0);
});
