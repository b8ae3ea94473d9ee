// phone_book — 电话本, the contacts' second view: every contact under its customer with its numbers, a search
// that finds a number however it is typed, a click that opens the contact (back returns to the search),
// and a right click that copies a mobile number. Screenshot phone-book.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, itemsWithPrefix, login, openClient, screenshot, sleep, typeInto,
  waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const shownRows = (s) => itemsWithPrefix(s, 'phonebook.row.').sort((a, b) => a.y - b.y).map((r) => r.label);

e2e('the phone book: grouped by customer, found by number, opened, a number copied', { timeout: 120000 }, async ({ api, baseUrl, page }) => {
  const xixi = await api.request('POST', '/customers', { name: '杭州西溪数据', type: 'enterprise' });
  const acme = await api.request('POST', '/customers', { name: 'Acme Trading', type: 'enterprise' });
  await api.request('POST', '/contacts', { customer_id: xixi.id, name: '王芳', title: '采购经理', mobile: '138 0013 8000' });
  const li = await api.request('POST', '/contacts', { customer_id: xixi.id, name: '李强', phone: '0571-8888 1234' });
  await api.request('POST', '/contacts', { customer_id: acme.id, name: 'Ann Lee', email: 'ann@acme.example', mobile: '13900001111' });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.contacts');
  await waitForScreen(page, 'contacts');
  await click(page, 'contacts.view.phonebook');
  let snap = await waitForSnapshot(page, (s) => shownRows(s).length === 3 && s, { what: 'three contacts in the phone book' });
  assert.deepEqual(shownRows(snap), ['Ann Lee', '李强', '王芳'], 'by customer, then by name');
  assert.equal(findItem(snap, `phonebook.customer.${xixi.id}`)?.label, '杭州西溪数据', 'the customer heads its group');
  assert.equal(findItem(snap, 'phonebook.count').label, '共 3 位联系人');
  await screenshot(page, 'phone-book.png');

  // A number typed another way than it was saved.
  await typeInto(page, 'phonebook.search', '8888-1234');
  snap = await waitForSnapshot(page, (s) => shownRows(s).length === 1 && s, { what: 'one contact for the number' });
  assert.deepEqual(shownRows(snap), ['李强']);
  await typeInto(page, 'phonebook.search', '西溪', { replace: true });
  snap = await waitForSnapshot(page, (s) => shownRows(s).join() === '李强,王芳' && s, { what: 'the customer\'s two contacts' });

  // A click opens the contact.
  await click(page, `phonebook.row.${li.id}`);
  await waitForSnapshot(page, (s) => s.screen === 'contacts.detail' && s.items.some((it) => it.label === '0571-8888 1234') && s,
    { what: 'the contact\'s page with its phone' });
  await click(page, 'record.back');
  snap = await waitForSnapshot(page, (s) => shownRows(s).join() === '李强,王芳' && s, { what: 'the phone book again, still searched' });

  // A right click copies a mobile number.
  const row = await waitForItem(page, itemsWithPrefix(snap, 'phonebook.row.').find((r) => r.label === '王芳').id);
  const canvas = await page.evaluate(() => { const r = document.querySelector('canvas').getBoundingClientRect(); return { x: r.left, y: r.top }; });
  await page.mouse.click(canvas.x + row.x + row.w / 2, canvas.y + row.y + row.h / 2, { button: 'right', delay: 60 });
  const menu = await waitForItem(page, 'phonebook.menu.copy_mobile');
  assert.equal(menu.label, '复制手机 138 0013 8000');
  await click(page, 'phonebook.menu.copy_mobile');
  // The copy is written by the frame that handles the click, and the clipboard write is asynchronous.
  let copied = '';
  for (const until = Date.now() + 5000; copied !== '138 0013 8000' && Date.now() < until; await sleep(100))
    copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, '138 0013 8000');
});
