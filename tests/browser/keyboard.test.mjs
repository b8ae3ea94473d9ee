// keyboard — Ctrl+K searches every module from the cache and Enter or a click opens the match; Esc
// leaves a record's page or a form without saving; Tab moves to the next field; Ctrl+S saves a form; the dark theme is kept across a
// reload (screenshots theme-dark.png, search.png under BUILD/screenshots/).
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil, reloadClient,
  screenshot, typeInto, waitForCustomerList, waitForIdle, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

e2e('Ctrl+K, Esc, Ctrl+S and the dark theme', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  const [customer] = await api.seedCustomers([{ name: '苏州西湖电子有限公司' }, { name: '无关客户' }]);
  const contact = await api.request('POST', '/contacts', { customer_id: customer.id, name: '西湖项目联系人' });
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);

  // Ctrl+K: one box over every module; both the customer and the contact match.
  await page.keyboard.press('Control+K');
  await waitForItem(page, 'search.input');
  await typeInto(page, 'search.input', '西湖');
  const found = await waitForSnapshot(page, (s) => findItem(s, `search.result.customers.${customer.id}`) &&
    findItem(s, `search.result.contacts.${contact.id}`) && s, { what: 'the customer and the contact in the results' });
  assert.equal(itemsWithPrefix(found, 'search.result.customers.').length, 1, 'only the matching customer');
  await screenshot(page, 'search.png');
  await page.keyboard.press('Enter');  // the first match
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && !findItem(s, 'search.input') &&
    findItem(s, 'record.field.name')?.label === customer.name && s, { what: 'Enter to open the customer' });

  await page.keyboard.press('Control+K');
  await typeInto(page, 'search.input', '项目联系');
  await click(page, `search.result.contacts.${contact.id}`);
  await waitForScreen(page, 'contacts.detail');
  // A search that finds nothing says so; Esc closes the box and stays where the user was.
  await page.keyboard.press('Control+K');
  await typeInto(page, 'search.input', '不存在的名字');
  await waitForItem(page, 'search.none');
  await page.keyboard.press('Escape');
  await waitForSnapshot(page, (s) => !findItem(s, 'search.input') && s.screen === 'contacts.detail' && s, { what: 'the box closed' });
  // Esc on a record's page goes back.
  await page.keyboard.press('Escape');
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && s, { what: 'Esc back to the customer' });

  // Ctrl+S saves the form; Esc leaves another without saving.
  await click(page, 'record.edit');
  await waitForScreen(page, 'customers.form');
  await typeInto(page, 'form.phone', '0512-66668888');
  // Tab moves to the next field in the form's order: the phone is followed by the e-mail.
  await page.keyboard.press('Tab');
  await page.keyboard.type('xihu@example.com', { delay: 15 });
  await waitForSnapshot(page, (s) => findItem(s, 'form.email')?.label === 'xihu@example.com' && s, { what: 'Tab to the e-mail field' });
  await page.keyboard.press('Control+S');
  await waitForScreen(page, 'customers.detail', 20000);
  await pollUntil(async () => (await api.getCustomer(customer.id)).phone === '0512-66668888', { what: 'the phone saved by Ctrl+S' });
  assert.equal((await api.getCustomer(customer.id)).email, 'xihu@example.com', 'the e-mail typed after Tab');
  await click(page, 'record.edit');
  await waitForScreen(page, 'customers.form');
  await typeInto(page, 'form.phone', '0000');
  await page.keyboard.press('Escape');  // leaves the field
  await page.keyboard.press('Escape');  // leaves the form
  await waitForScreen(page, 'customers.detail');
  await waitForSnapshot(page, (s) => findItem(s, 'status.pending')?.label.endsWith('0') && s, { what: 'nothing queued' });
  assert.equal((await api.getCustomer(customer.id)).phone, '0512-66668888', 'Esc saved nothing');

  // The dark theme, kept by the device across a reload.
  await click(page, 'app.theme');
  await waitForSnapshot(page, (s) => findItem(s, 'app.theme')?.label === '浅色' && s, { what: 'the dark theme on' });
  await screenshot(page, 'theme-dark.png');
  await reloadClient(page);
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && findItem(s, 'app.theme')?.label === '浅色' && s,
    { what: 'still dark after the reload, on the same page' });
  // The top bar's buttons settle once the fonts are in: click after the client went quiet.
  await waitForIdle(page);
  await click(page, 'app.theme');
  await waitForSnapshot(page, (s) => findItem(s, 'app.theme')?.label === '深色' && s, { what: 'back to light' });
});
