// english — a main path in English from the language switch on: a customer created (a missing name refused
// with an English message at the field first), found in the list, edited; a contract submitted for
// approval; the app's own words on each screen carry no Chinese (only the data typed in Chinese does).
// Screenshot english-customer.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil, screenshot, serverRecords,
  typeInto, waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
// The app's own words on screen: every label but the ones showing records' data, and the switch back to
// Chinese (which names its language in it).
function appWords(snap, dataIds) {
  const skip = ['app.lang', ...dataIds];
  return snap.items.filter((it) => it.label && !skip.some((d) => it.id.startsWith(d))).map((it) => `${it.id}=${it.label}`);
}

e2e('a main path in English', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  // A draft contract the first sync brings.
  const [other] = await api.seedCustomers([{ name: '重庆山城物流' }]);
  const contract = await api.request('POST', '/contracts', { customer_id: other.id, title: 'Annual licence' });
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'app.lang');
  await waitForSnapshot(page, (s) => s.lang === 'en' && s, { what: 'English' });

  // New customer: the name left out is named in English, nothing is sent.
  await click(page, 'nav.customers');
  await click(page, 'customers.new');
  const form = await waitForSnapshot(page, (s) => s.screen === 'customers.form' && findItem(s, 'form.heading') && s, { what: 'the form' });
  assert.equal(findItem(form, 'form.heading').label, 'New customer');
  await click(page, 'form.save');
  const refused = await waitForItem(page, 'form.error.name');
  assert.ok(!CJK.test(refused.label) && /name/i.test(refused.label), `an English message: ${refused.label}`);
  const formWords = appWords(await waitForSnapshot(page, (s) => s), ['app.user', 'form.owner']);
  assert.deepEqual(formWords.filter((w) => CJK.test(w)), [], 'the form speaks English');
  await typeInto(page, 'form.name', '成都天府软件');
  await typeInto(page, 'form.phone', '028-85550123');
  await click(page, 'form.save');
  await waitForScreen(page, 'customers.detail', 20000);
  const [made] = await serverRecords(api, '/customers?q=天府', 'the customer on the server');
  // The server's code and the related sections (drawn once the page holds the server's row).
  const detail = await waitForSnapshot(page, (s) => findItem(s, 'record.field.code')?.label.startsWith('C') && findItem(s, 'related.contacts') && s,
    { what: 'the code from the server and the related sections' });
  assert.equal(findItem(detail, 'record.title').label, 'Customer: 成都天府软件');
  assert.equal(findItem(detail, 'related.contacts')?.label, 'Contacts (0)', 'sections named like the side bar');
  const detailWords = appWords(detail, ['app.user', 'record.field.', 'record.title']);
  assert.deepEqual(detailWords.filter((w) => CJK.test(w)), [], 'the page speaks English');
  await screenshot(page, 'english-customer.png');

  // Found in the list by typing, edited.
  await click(page, 'nav.customers');
  await typeInto(page, 'customers.search', '天府');
  await waitForSnapshot(page, (s) => findItem(s, 'customers.count')?.label === '1 record' && findItem(s, `customers.row.${made.id}`) && s,
    { what: 'one match, counted in English' });
  await click(page, `customers.row.${made.id}`);
  await waitForScreen(page, 'customers.detail');
  await click(page, 'record.edit');
  const edit = await waitForSnapshot(page, (s) => s.screen === 'customers.form' && findItem(s, 'form.heading') && s, { what: 'the edit form' });
  assert.equal(findItem(edit, 'form.heading').label, 'Edit customer');
  await typeInto(page, 'form.phone', '028-85550999', { replace: true });
  await page.keyboard.press('Control+S');
  await pollUntil(async () => (await api.request('GET', `/customers/${made.id}`)).phone === '028-85550999', { what: 'the phone saved' });
  // The client shows the saved record once the server's answer is in: only then is the next address ours.
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && s.pending === 0 && s, { what: 'the saved customer shown' });

  // A contract for it, submitted for approval: the step is named in English.
  await page.evaluate((h) => { window.location.hash = h; }, `#/contracts/${contract.id}`);
  const page2 = await waitForSnapshot(page, (s) => s.screen === 'contracts.detail' && findItem(s, 'action.pending_approval') && s, { what: 'the contract' });
  assert.equal(findItem(page2, 'action.pending_approval').label, 'Submit for approval');
  await click(page, 'action.pending_approval');
  await pollUntil(async () => (await api.request('GET', `/contracts/${contract.id}`)).status === 'pending_approval', { what: 'submitted' });
  const after = await waitForSnapshot(page, (s) => findItem(s, 'record.field.status')?.label === 'Pending approval' && s, { what: 'the new state in English' });
  assert.deepEqual(appWords(after, ['app.user', 'record.field.', 'record.title', 'related.']).filter((w) => CJK.test(w)), []);
  assert.ok(itemsWithPrefix(after, 'nav.').every((n) => !CJK.test(n.label)), 'the side bar');
});
