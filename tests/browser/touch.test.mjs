// touch — the client on a tablet (a touch screen, Chromium's own touch input): a tap in a text box focuses
// the text area an on-screen keyboard types into; a finger dragged up the customer list scrolls it and
// opens nothing; a tap opens a customer; a press held on a row opens its
// menu, whose "edit" opens the customer's form and whose "copy" puts the phone number on the clipboard.
// The list's toolbar wraps to the tablet's width. Screenshot touch-row-menu.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, backToList, e2e, findItem, login, longPress, openClient, pollUntil, rows, screenshot,
  seedCustomerRecords, snapshot, swipe, tap, waitForCustomerList, waitForSnapshot,
} from './lib/index.js';

const visibleIds = (snap) => rows(snap).map((r) => r.id).sort();

e2e('touch: a drag scrolls, a tap opens, a long press shows the row menu', {
  timeout: 150000, browser: { hasTouch: true, viewport: { width: 1024, height: 768 } },
}, async ({ api, baseUrl, page, cdp }) => {
  await api.seedCustomers(seedCustomerRecords(80));
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  const before = await waitForSnapshot(page, (s) => rows(s).length > 10 && s, { what: 'a screenful of customers' });
  const first = rows(before).sort((a, b) => a.y - b.y);
  // The toolbar wraps rather than running off a tablet's screen.
  const count = findItem(before, 'customers.count');
  assert.ok(count.x + count.w <= 1024, `the count is on screen: ${JSON.stringify(count)}`);

  // A tap in the search box focuses the text area an on-screen keyboard types into.
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'ime', 'no keyboard before the tap');
  await tap(page, cdp, 'customers.search');
  await pollUntil(async () => (await page.evaluate(() => document.activeElement?.id)) === 'ime',
    { what: 'the keyboard\'s text area focused' });
  await tap(page, cdp, 'customers.count');

  // A drag up from the middle row: the list moves, nothing opens.
  await swipe(page, cdp, first[Math.floor(first.length / 2)].id, -250);
  const scrolled = await waitForSnapshot(page, (s) => visibleIds(s).join() !== visibleIds(before).join() && s,
    { what: 'the list scrolled by the finger' });
  assert.equal(scrolled.screen, 'customers', 'a drag opens nothing');
  assert.equal(findItem(scrolled, first[0].id), null, 'the top row went up out of view');

  // A tap opens the customer under the finger.
  const target = rows(scrolled).sort((a, b) => a.y - b.y)[2];
  await tap(page, cdp, target.id);
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && s.items.some((it) => it.label === target.label) && s,
    { what: `the tapped customer ${target.label}` });
  await backToList(page);

  // A long press: the row's menu, as a right click gives it.
  const list = await waitForSnapshot(page, (s) => rows(s).length > 10 && s, { what: 'the list again' });
  const pressed = rows(list).sort((a, b) => a.y - b.y)[1];
  const id = pressed.id.split('.').pop();
  await longPress(page, cdp, pressed.id);
  const menu = await waitForSnapshot(page, (s) => findItem(s, 'customers.menu.edit') && s, { what: 'the row menu' });
  assert.ok(findItem(menu, 'customers.menu.open'));
  const copy = findItem(menu, 'customers.menu.copy_phone');
  assert.ok(copy, 'the phone can be copied');
  await screenshot(page, 'touch-row-menu.png');
  const phone = copy.label.split(' ').pop();
  await tap(page, cdp, 'customers.menu.copy_phone');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, phone, 'the number is on the clipboard');

  await longPress(page, cdp, pressed.id);
  await waitForSnapshot(page, (s) => findItem(s, 'customers.menu.edit') && s, { what: 'the row menu again' });
  await tap(page, cdp, 'customers.menu.edit');
  const form = await waitForSnapshot(page, (s) => s.screen === 'customers.form' && findItem(s, 'form.name') && s,
    { what: 'the pressed customer\'s form' });
  assert.equal(findItem(form, 'form.name').label, pressed.label, 'the pressed customer\'s form');
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), new RegExp(`#/customers/${id}/edit$`));
  const after = await snapshot(page);
  assert.equal(after.screen, 'customers.form');
});
