// ime_create — a new customer whose name is typed through the input method (pinyin composition, then
// the chosen characters) reaches the server exactly once, with exactly that name.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, imeType, login, openClient, pollUntil, seedCustomerRecords,
  sleep, typeInto, waitForCustomerList, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const NAME = '鑫源测试公司';
const PHONE = '13912345678';

e2e('a customer named through the IME is created once on the server', async ({ api, baseUrl, page, cdp }) => {
  await api.seedCustomers(seedCustomerRecords(20));
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);

  await click(page, 'customers.new');
  await waitForScreen(page, 'customers.form');
  await imeType(page, cdp, NAME, { into: 'form.name', steps: ['x', 'xin', 'xinyuan', 'xinyuan ce shi', 'xinyuanceshigongsi'] });
  await waitForSnapshot(page, (s) => findItem(s, 'form.name')?.label === NAME && s, { what: `form.name to read ${NAME}` });
  await typeInto(page, 'form.phone', PHONE);
  await waitForSnapshot(page, (s) => findItem(s, 'form.phone')?.label === PHONE && s, { what: `form.phone to read ${PHONE}` });
  await click(page, 'form.save');
  await waitForSnapshot(page, (s) => {
    const errors = s.items.filter((it) => it.id.startsWith('form.error.'));
    if (errors.length) throw new Error(`the form refused to save: ${errors.map((e) => `${e.id}=${e.label}`).join(', ')}`);
    return s.screen !== 'customers.form' && s;
  }, { what: 'the form to close after form.save' });

  const found = await pollUntil(async () => {
    const named = await api.customersNamed(NAME);
    return named.length > 0 && named;
  }, { timeoutMs: 10000, what: `customer ${NAME} on the server` });
  await sleep(1500);  // a second (duplicate) send would arrive by now
  const named = await api.customersNamed(NAME);
  assert.equal(named.length, 1, `customers named ${NAME} on the server: ${JSON.stringify(named)}`);
  assert.equal(named[0].id, found[0].id);
  assert.equal(named[0].phone, PHONE);
  // Nothing with the pinyin or a doubled name slipped through either.
  const similar = (await api.listCustomers({ q: '鑫源' })).items.map((c) => c.name);
  assert.deepEqual(similar.filter((n) => n.includes('测试') || /xin/i.test(n)), [NAME]);
  await waitForSnapshot(page, (s) => s.pending === 0 && s, { what: 'pending === 0 after the save' });
});

// Two more kinds of field take the IME: the customer picker (a search over the cache as the user composes)
// and a multi-line text (notes).
e2e('the customer picker and a multi-line note take IME input', async ({ api, baseUrl, page, cdp }) => {
  const customer = await api.request('POST', '/customers', { name: '鑫源科技有限公司' });
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.contacts');
  await waitForScreen(page, 'contacts');
  await click(page, 'contacts.new');
  await waitForScreen(page, 'contacts.form');

  await imeType(page, cdp, '鑫源', { into: 'form.customer_id', steps: ['x', 'xin', 'xinyuan'] });
  const match = await waitForSnapshot(page, (s) => findItem(s, 'form.customer_id.match.0') && s, { what: 'the picker to offer a match' });
  assert.ok(findItem(match, 'form.customer_id.match.0').label.startsWith(customer.name));
  await click(page, 'form.customer_id.match.0');
  await waitForSnapshot(page, (s) => findItem(s, 'form.customer_id')?.label === customer.name && s, { what: 'the customer picked' });

  const NOTE = '下周三回访，带上报价单';
  await imeType(page, cdp, '张伟', { into: 'form.name', steps: ['zh', 'zhang', 'zhangwei'] });
  await imeType(page, cdp, NOTE, { into: 'form.notes', steps: ['xia', 'xiazhou', 'xiazhousan huifang'] });
  await waitForSnapshot(page, (s) => findItem(s, 'form.notes')?.label === NOTE && s, { what: `form.notes to read ${NOTE}` });
  await click(page, 'form.save');
  const [contact] = await pollUntil(async () => {
    const items = (await api.request('GET', `/contacts?customer_id=${customer.id}`)).items;
    return items.length > 0 && items;
  }, { what: 'the contact on the server' });
  assert.equal(contact.name, '张伟');
  assert.equal(contact.notes, NOTE);
  assert.equal(contact.customer_id, customer.id);
});
