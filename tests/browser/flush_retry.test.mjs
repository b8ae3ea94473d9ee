// flush_retry — a cache flush IndexedDB does not store (its transaction aborted: a full disk, the browser
// under pressure) loses nothing: the chunks go again, at once and then with the next commit, so the stored
// copy is always a whole commit and a reload brings back every queued edit.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, pollUntil, reloadClient, seedCustomerRecords,
  sleep, typeInto, waitForCustomerList, waitForIdle, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const FIRST = 'Flush Target One 存储重试甲';
const SECOND = 'Flush Target Two 存储重试乙';
const NOTES_FIRST = `queued while IndexedDB refused ${Date.now()}`;
const NOTES_SECOND = `queued after ${Date.now()}`;

// Edits a customer's notes through its form (the list shows it: the search finds it if not).
async function editNotes(page, customer, notes, name) {
  await click(page, 'nav.customers');
  const rowId = `customers.row.${customer.id}`;
  await typeInto(page, 'customers.search', name.split(' ').slice(0, 3).join(' '), { replace: true });
  await waitForSnapshot(page, (s) => findItem(s, 'customers.count')?.label === '共 1 条' && findItem(s, rowId) && s, { what: `${name} alone in the list` });
  await waitForIdle(page);
  await click(page, rowId);
  await waitForScreen(page, 'customers.detail');
  await click(page, 'record.edit');
  await waitForScreen(page, 'customers.form');
  await typeInto(page, 'form.notes', notes, { replace: true });
  await waitForSnapshot(page, (s) => findItem(s, 'form.notes')?.label === notes && s, { what: 'form.notes to read the new notes', timeout: 5000 });
  await click(page, 'form.save');
}

e2e('a cache flush IndexedDB refuses is stored again: a reload keeps every queued edit', { timeout: 150000 }, async ({ api, baseUrl, context, page, cdp, server }) => {
  await api.seedCustomers(seedCustomerRecords(10));
  const first = await api.createCustomer({ name: FIRST, level: 'B', notes: 'before' });
  const second = await api.createCustomer({ name: SECOND, level: 'B', notes: 'before' });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await waitForSnapshot(page, (s) => s.online === true && s.pending === 0 && s, { what: 'online with nothing pending' });
  await pollUntil(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { what: 'a service worker controlling the page' });
  await context.setOffline(true);
  await waitForSnapshot(page, (s) => s.online === false && s, { what: 'offline' });

  // Every cache flush from now until three have been refused aborts its IndexedDB transaction at its
  // last write, as a browser does when the disk is full: the stored copy stays the one before.
  await page.evaluate(() => {
    window.kehuRefuseFlushes = 3;
    window.kehuRefusedFlushes = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (this.name === 'files' && window.kehuRefuseFlushes > 0) {
        window.kehuRefuseFlushes--;
        window.kehuRefusedFlushes++;
        this.transaction.abort();
        return {};
      }
      return put.apply(this, args);
    };
  });
  await editNotes(page, first, NOTES_FIRST, FIRST);
  await waitForSnapshot(page, (s) => s.screen !== 'customers.form' && s.pending === 1 && s, { what: 'the first edit queued' });
  // The flush of that edit and its two immediate retries were all refused.
  await pollUntil(() => page.evaluate(() => window.kehuRefusedFlushes === 3), { what: 'three refused flushes' });

  // The next commit's flush is stored, and carries the refused chunks with it.
  await editNotes(page, second, NOTES_SECOND, SECOND);
  await waitForSnapshot(page, (s) => s.screen !== 'customers.form' && s.pending === 2 && s, { what: 'the second edit queued' });
  await sleep(500);  // the flush is stored

  // A reload with the server stopped: both edits come back from IndexedDB.
  await cdp.detach();
  await server.halt();
  await reloadClient(page);
  const snap = await waitForSnapshot(page, (s) => s.pending === 2 && s,
    { what: 'both queued edits after the reload', timeout: 60000 });
  assert.equal(snap.online, false);

  // Back online, the server has both, once.
  await server.resume();
  await context.setOffline(false);
  await waitForSnapshot(page, (s) => s.online === true && s.pending === 0 && s, { what: 'the outbox sent', timeout: 60000 });
  await pollUntil(async () => (await api.getCustomer(first.id)).notes === NOTES_FIRST, { what: 'the first edit on the server' });
  assert.equal((await api.getCustomer(second.id)).notes, NOTES_SECOND);
});
