// offline — edits made offline wait in the outbox (pending), survive a reload while still offline, and
// reach the server exactly once when the connection comes back (SPEC §6, §8).
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, backToList, click, e2e, findItem, imeType, login, ms, numberIn, openClient, pollUntil, reloadClient,
  rows, seedCustomerRecords, sleep, typeInto, waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const NEW_NAME = '离线客户甲';
const TARGET = 'Offline Target 离线编辑目标';
const NOTES_BEFORE = 'notes before going offline';
const NOTES_AFTER = `edited offline ${Date.now()}`;

const pendingLabel = (s) => findItem(s, 'status.pending')?.label ?? '';

e2e('offline edits survive a reload and are sent once when back online', { timeout: 150000 }, async ({ api, baseUrl, context, page, cdp, server }) => {
  await api.seedCustomers(seedCustomerRecords(10));
  const target = await api.createCustomer({ name: TARGET, phone: '13700000001', level: 'B', notes: NOTES_BEFORE });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await waitForSnapshot(page, (s) => s.online === true && s.pending === 0 && s, { what: 'online with nothing pending' });
  // The service worker that keeps the client's files is installed and in control.
  await pollUntil(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { what: 'a service worker controlling the page' });
  // The API goes straight to the network, never through the worker (its static route for /api/*, sw.js),
  // while the client's files go through it.
  const routes = await page.evaluate(async () => {
    await (await fetch('/api/v1/me', { cache: 'no-store' })).arrayBuffer();
    await (await fetch('/crm.js', { cache: 'no-store' })).arrayBuffer();
    const last = (path) => performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === path).pop();
    return { api: last('/api/v1/me')?.workerMatchedSourceType, file: last('/crm.js')?.workerMatchedSourceType };
  });
  assert.equal(routes.api, 'network', `an API request is routed to the network by the worker's rules (${JSON.stringify(routes)})`);
  assert.notEqual(routes.file, 'network', `the client's files still pass through the worker (${JSON.stringify(routes)})`);

  await context.setOffline(true);
  await waitForSnapshot(page, (s) => s.online === false && s, { what: 'snapshot().online === false after setOffline(true)' });

  // 1. A new customer, named through the IME.
  await click(page, 'customers.new');
  await waitForScreen(page, 'customers.form');
  await imeType(page, cdp, NEW_NAME, { into: 'form.name', steps: ['li', 'lixian', 'lixian kehu', 'lixiankehujia'] });
  await waitForSnapshot(page, (s) => findItem(s, 'form.name')?.label === NEW_NAME && s, { what: `form.name to read ${NEW_NAME}` });
  await typeInto(page, 'form.phone', '13700000002');
  await click(page, 'form.save');
  await waitForSnapshot(page, (s) => s.screen !== 'customers.form' && s.pending === 1 && s, { what: 'the form to close with pending === 1' });
  await backToList(page);
  // The new customer is listed under a local (negative) id.
  await waitForItem(page, (it) => it.id.startsWith('customers.row.-') && it.label === NEW_NAME);

  // 2. The existing customer's notes, edited.
  const rowId = `customers.row.${target.id}`;
  if (!findItem(await waitForScreen(page, 'customers'), rowId)) {
    await typeInto(page, 'customers.search', 'Offline Target', { replace: true });
    await waitForItem(page, rowId);
  }
  await click(page, rowId);
  await waitForScreen(page, 'customers.detail');
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.name')?.label === TARGET && s, { what: `record.field.name to read ${TARGET}` });
  await click(page, 'record.edit');
  await waitForScreen(page, 'customers.form');
  await typeInto(page, 'form.notes', NOTES_AFTER, { replace: true });
  await waitForSnapshot(page, (s) => findItem(s, 'form.notes')?.label === NOTES_AFTER && s, { what: 'form.notes to read the new notes', timeout: 5000 });
  await click(page, 'form.save');
  let snap = await waitForSnapshot(page, (s) => s.screen !== 'customers.form' && s.pending === 2 && s, { what: 'pending === 2 after both edits' });
  assert.equal(numberIn(pendingLabel(snap)), 2, `status.pending of the frame with pending === 2: ${pendingLabel(snap)}`);
  assert.equal(snap.online, false);

  // Nothing reached the server while offline.
  assert.equal((await api.customersNamed(NEW_NAME)).length, 0);
  assert.equal((await api.getCustomer(target.id)).notes, NOTES_BEFORE);

  // 3. A reload while still offline: the client comes back to the same screen, the outbox intact.
  await sleep(500);  // let the client persist its cache (IndexedDB) as it would before a tab is closed
  // An extra CDP session attached across the reload would make the new page start with
  // navigator.onLine === true although the context is offline (Chromium 156): drop it first.
  await cdp.detach();
  // setOffline does not reach a service worker's own requests (Playwright #2311): with the server down,
  // nothing can come from the network, so the page and its files can only come from the worker's copies.
  await server.halt();
  try {
    await reloadClient(page);
  } catch (e) {
    throw new Error(`reloading the page while offline failed — the client's files must load without the network (a service worker or equivalent): ${e.message}`);
  }
  // It returns to the screen it showed (the edited customer, with the edit), the outbox intact.
  snap = await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && s.pending === 2 &&
    findItem(s, 'record.field.notes')?.label === NOTES_AFTER && s,
    { what: 'the edited customer with pending === 2 after the offline reload', timeout: 60000 });
  assert.equal(snap.online, false);
  await click(page, 'nav.customers');
  snap = await waitForSnapshot(page, (s) => s.screen === 'customers' && rows(s).some((r) => r.label === NEW_NAME) && s,
    { what: `${NEW_NAME} listed after the reload` });
  assert.equal(snap.pending, 2);

  // 4. Back online: the outbox drains, and the server has each edit once.
  await server.resume();
  await context.setOffline(false);
  snap = await waitForSnapshot(page, (s) => s.online === true && s.pending === 0 && s,
    { what: 'online with pending === 0 after setOffline(false)', timeout: 60000 });
  assert.equal(numberIn(pendingLabel(snap)), 0, `status.pending of the frame with pending === 0: ${pendingLabel(snap)}`);
  await pollUntil(async () => (await api.customersNamed(NEW_NAME)).length > 0, { what: `${NEW_NAME} on the server` });
  await sleep(1500);  // a replayed duplicate would arrive by now
  const named = await api.customersNamed(NEW_NAME);
  assert.equal(named.length, 1, `customers named ${NEW_NAME}: ${JSON.stringify(named)}`);
  assert.equal(named[0].phone, '13700000002');
  const edited = await api.getCustomer(target.id);
  assert.equal(edited.notes, NOTES_AFTER);
  assert.equal(edited.name, TARGET);
  // The local row got its server id.
  await waitForItem(page, (it) => it.id === `customers.row.${named[0].id}` && it.label === NEW_NAME, ms(20000));
});
