// navigation — the page address follows the client (#/customers/12), so the browser's back and forward
// walk the screens, a reload returns to the same screen, a link opens a record or its edit form
// directly, and an address naming no module the user reads falls back to the dashboard.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, reloadClient, waitForCustomerList,
  waitForSnapshot,
} from './lib/index.js';

// The address's hash, decoded; a malformed one (e.g. "#/customers/100%" before the client rewrites it) as is.
const hash = (page) => page.evaluate(() => {
  try {
    return decodeURI(window.location.hash);
  } catch {
    return window.location.hash;
  }
});

async function waitForPlace(page, screen, address, what = `${screen} at ${address}`) {
  await waitForSnapshot(page, (s) => s.screen === screen && s, { what });
  for (let i = 0; i < 50 && (await hash(page)) !== address; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await hash(page), address, `the address on ${screen}`);
}

e2e('back, forward, reload and links follow the address', { timeout: 150000 }, async ({ api, baseUrl, context, page }) => {
  const [customer] = await api.seedCustomers([{ name: '成都天府物流有限公司' }]);
  const contact = await api.request('POST', '/contacts', { customer_id: customer.id, name: '赵敏' });
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  const { screens } = await waitForCustomerList(page);
  assert.ok(screens.includes('dashboard'), `sign-in opens the dashboard first (${screens.join(' -> ')})`);
  await waitForPlace(page, 'customers', '#/customers');

  await click(page, `customers.row.${customer.id}`);
  await waitForPlace(page, 'customers.detail', `#/customers/${customer.id}`);
  await click(page, `related.contacts.row.${contact.id}`);
  await waitForPlace(page, 'contacts.detail', `#/contacts/${contact.id}`);
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.name')?.label === '赵敏' && s, { what: 'the contact' });

  // The browser's back and forward buttons.
  await page.goBack();
  await waitForPlace(page, 'customers.detail', `#/customers/${customer.id}`);
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.name')?.label === customer.name && s, { what: 'the customer again' });
  await page.goBack();
  await waitForPlace(page, 'customers', '#/customers');
  await page.goForward();
  await waitForPlace(page, 'customers.detail', `#/customers/${customer.id}`);
  // The in-app back button returns there too.
  await click(page, 'record.back');
  await waitForPlace(page, 'customers', '#/customers');
  await page.goForward();
  await waitForPlace(page, 'customers.detail', `#/customers/${customer.id}`);

  // A reload comes back to the same record.
  await reloadClient(page);
  await waitForPlace(page, 'customers.detail', `#/customers/${customer.id}`);
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.name')?.label === customer.name && s, { what: 'the customer after the reload' });

  // A link to a contact's edit form opens the form filled in.
  await page.evaluate((id) => { window.location.hash = `#/contacts/${id}/edit`; }, contact.id);
  await waitForPlace(page, 'contacts.form', `#/contacts/${contact.id}/edit`);
  await waitForSnapshot(page, (s) => findItem(s, 'form.name')?.label === '赵敏' && s, { what: 'the form with the contact' });
  await click(page, 'form.cancel');
  await waitForSnapshot(page, (s) => s.screen !== 'contacts.form' && s, { what: 'the form to close' });

  // A link opened in a new tab: straight to the record once the cache is open, and back from this first
  // page goes up to its list, not out of the app (the tab has no earlier page).
  const tab = await context.newPage();
  await openClient(tab, baseUrl, { query: `#/customers/${customer.id}` });
  await waitForPlace(tab, 'customers.detail', `#/customers/${customer.id}`);
  await click(tab, 'record.back');
  await waitForPlace(tab, 'customers', '#/customers', 'the customer list in the new tab');
  assert.ok((await tab.evaluate(() => window.location.href)).startsWith(baseUrl), 'still on the CRM');
  await tab.close();

  // Nonsense and modules that do not exist fall back to the dashboard, and the address says so.
  for (const bad of ['#/salaries/1', '#/customers/abc', '#/customers/1/2/3', '#/../../etc', '#/customers/100%']) {
    await page.evaluate((h) => { window.location.hash = h; }, bad);
    await waitForPlace(page, 'dashboard', '#/dashboard', `the dashboard after ${bad}`);
  }
});
