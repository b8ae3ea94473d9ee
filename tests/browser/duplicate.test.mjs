// duplicate — the duplicate guard (撞单, SPEC §3) on the customer form: a sales rep typing a customer that
// another rep already has (same phone) is told whose it is, may not save anyway, and nothing is created;
// an admin told the same may save anyway, which the server records as an override in the audit log.
// A duplicate the rep can see is offered to open; their own customer can also take what was typed (its
// form opens with it in its empty fields, and saving changes that customer, not a new one), a pool
// customer, which they may only claim, cannot.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, Api, click, e2e, findItem, login, openClient, pollUntil, screenshot, typeInto, waitForCustomerList,
  waitForScreen, waitForSnapshot,
} from './lib/index.js';

async function newCustomer(page, name, phone, email = '') {
  await click(page, 'nav.customers');
  await click(page, 'customers.new');
  await waitForScreen(page, 'customers.form');
  await typeInto(page, 'form.name', name);
  await typeInto(page, 'form.phone', phone);
  if (email) await typeInto(page, 'form.email', email);
  await click(page, 'form.save');
  return waitForSnapshot(page, (s) => findItem(s, 'form.duplicate') && s, { what: 'the duplicate answer', timeout: 20000 });
}

e2e('a duplicate customer: named to a rep, saved anyway by an admin', { timeout: 150000 }, async ({ api, baseUrl, browser, page }) => {
  const repPassword = 'Rep-password-2026';
  await api.request('POST', '/users', { username: 'wangfang', display_name: '王芳', role: 'sales', password: repPassword });
  await api.request('POST', '/users', { username: 'zhaolei', display_name: '赵磊', role: 'sales', password: repPassword });
  // 王芳's customer, made through the API as her.
  const wang = new Api(baseUrl);
  await wang.login('wangfang', repPassword);
  const theirs = await wang.request('POST', '/customers', { name: '苏州恒达精密机械', type: 'enterprise', phone: '0512-65550001' });

  // 赵磊 types the same customer with the same phone: told it is 王芳's; no way to save anyway.
  const other = await browser.newContext();
  const repPage = other.page;
  await openClient(repPage, baseUrl);
  await login(repPage, 'zhaolei', repPassword);
  await waitForCustomerList(repPage);
  const told = await newCustomer(repPage, '恒达精密机械（苏州）', '0512 6555 0001');
  console.log(`# to the rep: ${findItem(told, 'form.error').label} / ${findItem(told, 'form.duplicate').label}`);
  assert.match(findItem(told, 'form.error').label, /王芳/, 'names the other owner');
  assert.equal(findItem(told, 'form.force'), null, 'a sales rep cannot override');
  assert.equal(findItem(told, 'form.duplicate.open'), null, 'a customer the rep may not see is not offered');
  assert.equal(findItem(told, 'form.name')?.label, '恒达精密机械（苏州）', 'the form keeps what was typed');
  await waitForSnapshot(repPage, (s) => s.pending === 0 && s, { what: 'nothing left in the outbox' });
  assert.equal((await api.request('GET', '/customers?q=恒达')).items.length, 1, 'nothing was created');
  await other.context.close();

  // The admin: the same answer, and "save anyway" creates it, audited as an override.
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  const asked = await newCustomer(page, '恒达精密机械华东分部', '0512-65550001');
  assert.ok(findItem(asked, 'form.force'), 'an admin may save anyway');
  await click(page, 'form.force');
  await waitForScreen(page, 'customers.detail', 20000);
  const both = await pollUntil(async () => {
    const { items } = await api.request('GET', '/customers?q=恒达');
    return items.length === 2 && items;
  }, { what: 'the second customer on the server' });
  const made = both.find((c) => c.id !== theirs.id);
  assert.equal(made.name, '恒达精密机械华东分部');
  const audit = await api.request('GET', `/audit?action=override&entity=customers`);
  assert.ok(audit.items.some((a) => a.entity_id === made.id), `the override is audited: ${JSON.stringify(audit.items)}`);
});

e2e('a duplicate the rep sees: opened, or what was typed added to it', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  const password = 'Rep-password-2026';
  await api.request('POST', '/users', { username: 'zhouxin', display_name: '周欣', role: 'sales', password });
  const rep = new Api(baseUrl);
  await rep.login('zhouxin', password);
  const own = await rep.request('POST', '/customers', { name: '宁波海曙远航贸易', type: 'enterprise', phone: '0574-87770002' });
  await api.request('POST', '/customers', { name: '宁波北仑港务物流', type: 'enterprise', phone: '0574-86660003', owner_id: null });

  await openClient(page, baseUrl);
  await login(page, 'zhouxin', password);
  await waitForCustomerList(page);
  let told = await newCustomer(page, '远航贸易', '0574 8777 0002');
  assert.match(findItem(told, 'form.duplicate.open').label, /宁波海曙远航贸易/, 'names the customer the rep has');
  await screenshot(page, 'customer-duplicate.png');
  assert.ok(findItem(told, 'form.duplicate.fill'), 'their own customer can take what was typed');
  await click(page, 'form.duplicate.open');
  await waitForScreen(page, 'customers.detail');
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), new RegExp(`#/customers/${own.id}$`));

  // A pool customer: the rep may open it (and claim it there) but not change it, so nothing is added to it.
  told = await newCustomer(page, '北仑港务', '0574 8666 0003');
  assert.match(findItem(told, 'form.duplicate.open').label, /宁波北仑港务物流/);
  assert.equal(findItem(told, 'form.duplicate.fill'), null, 'a customer the rep may not change takes nothing');
  assert.match(findItem(told, 'form.duplicate').label, /领取/);
  await click(page, 'form.cancel');
  await waitForScreen(page, 'customers');

  told = await newCustomer(page, '远航贸易', '0574 8777 0002', 'sales@yuanhang.cn');
  await click(page, 'form.duplicate.fill');
  const filled = await waitForSnapshot(page, (s) => s.screen === 'customers.form' && findItem(s, 'form.filled') && s,
    { what: 'the existing customer\'s form, filled' });
  assert.equal(findItem(filled, 'form.name').label, '宁波海曙远航贸易', 'its own name stays');
  assert.equal(findItem(filled, 'form.email').label, 'sales@yuanhang.cn', 'the typed email fills its empty field');
  await click(page, 'form.save');
  await waitForScreen(page, 'customers.detail', 20000);
  const saved = await pollUntil(async () => {
    const c = await rep.request('GET', `/customers/${own.id}`);
    return c.email === 'sales@yuanhang.cn' && c;
  }, { what: 'the email on the existing customer' });
  assert.equal(saved.name, '宁波海曙远航贸易');
  assert.equal((await api.request('GET', '/customers?q=远航')).items.length, 1, 'no second customer');
});
