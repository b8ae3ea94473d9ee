// modules — the side bar reaches every module the admin's role reads, each list draws from the cache;
// records are made from the forms the descriptors grow: a product with a price typed as money, a
// contract whose customer is found with the picker, an opportunity added from the customer's page (its
// customer preset); a missing required field is named at the field before anything is sent; back returns
// to where the user came from; the side bar reads in English after the language switch. Screenshots of
// every module's list and of the forms under BUILD/screenshots/module-*.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, itemsWithPrefix, login, numberIn, openClient, screenshot,
  serverRecords, typeInto, waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const MODULES = ['customers', 'contacts', 'opportunities', 'contracts', 'orders', 'products', 'activities', 'tickets',
  'campaigns', 'emails', 'announcements'];

e2e('every module from the side bar; records made through the generic forms', { timeout: 180000 }, async ({ api, baseUrl, page }) => {
  const [customer] = await api.seedCustomers([{ name: '杭州西湖软件有限公司', phone: '0571-88886666' }]);
  await api.request('POST', '/contacts', { customer_id: customer.id, name: '王芳' });
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);

  // Every module is one click away and lists what the cache holds.
  for (const module of MODULES) {
    await click(page, `nav.${module}`);
    const snap = await waitForSnapshot(page, (s) => s.screen === module && findItem(s, `${module}.count`) && s,
      { what: `the ${module} list` });
    const expected = module === 'customers' || module === 'contacts' ? 1 : 0;
    assert.equal(numberIn(findItem(snap, `${module}.count`).label), expected, `${module}.count`);
    await screenshot(page, `module-${module}.png`);
  }

  // A product: SKU left out is named at the field, nothing is sent; the price is typed as money.
  await click(page, 'nav.products');
  await click(page, 'products.new');
  await waitForScreen(page, 'products.form');
  await typeInto(page, 'form.name', '企业版授权');
  await typeInto(page, 'form.price', '12,500.50');
  await click(page, 'form.save');
  const refused = await waitForItem(page, 'form.error.sku');
  console.log(`# missing SKU: ${refused.label}`);
  assert.equal((await api.request('GET', '/products')).items.length, 0, 'nothing was sent');
  await typeInto(page, 'form.sku', 'ENT-01');
  await screenshot(page, 'module-product-form.png');
  await click(page, 'form.save');
  await waitForScreen(page, 'products.detail', 20000);
  const [product] = await serverRecords(api, '/products', 'the product on the server');
  assert.equal(product.price, 1250050, 'the price is stored in fen');
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.price')?.label === '12,500.50' && s,
    { what: 'the price to read 12,500.50' });

  // A contract: the customer is found by typing part of its name and picking the match.
  await click(page, 'nav.contracts');
  await click(page, 'contracts.new');
  await waitForScreen(page, 'contracts.form');
  await typeInto(page, 'form.title', '年度软件服务合同');
  await typeInto(page, 'form.customer_id', '西湖');
  const match = await waitForItem(page, 'form.customer_id.match.0');
  assert.ok(match.label.includes('杭州西湖软件'), `the picker offers the customer (${match.label})`);
  await click(page, 'form.customer_id.match.0');
  await waitForSnapshot(page, (s) => findItem(s, 'form.customer_id')?.label === customer.name && !findItem(s, 'form.customer_id.match.0') && s,
    { what: 'the picked customer in the input' });
  await typeInto(page, 'form.amount', '80000');
  await screenshot(page, 'module-contract-form.png');
  await click(page, 'form.save');
  await waitForScreen(page, 'contracts.detail', 20000);
  const [contract] = await serverRecords(api, '/contracts', 'the contract on the server');
  assert.equal(contract.customer_id, customer.id);
  assert.equal(contract.amount, 8000000);
  assert.equal(contract.status, 'draft');
  await waitForSnapshot(page, (s) => /^HT\d+$/.test(findItem(s, 'record.field.code')?.label ?? '') && s,
    { what: 'the contract code from the server' });

  // From the customer's page: its contact and contract are listed; a new opportunity has the customer preset.
  await click(page, 'nav.customers');
  await click(page, `customers.row.${customer.id}`);
  await waitForScreen(page, 'customers.detail');
  const detail = await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'related.contracts.row.').length === 1 &&
    itemsWithPrefix(s, 'related.contacts.row.').length === 1 && s, { what: 'the customer\'s contact and contract' });
  assert.equal(itemsWithPrefix(detail, 'related.contacts.row.')[0].label, '王芳');
  await screenshot(page, 'module-customer-detail.png');
  await click(page, 'related.opportunities.new');
  await waitForScreen(page, 'opportunities.form');
  await waitForSnapshot(page, (s) => findItem(s, 'form.customer_id')?.label === customer.name && s, { what: 'the customer preset' });
  await typeInto(page, 'form.title', '二期扩容');
  await click(page, 'form.save');
  await waitForScreen(page, 'opportunities.detail', 20000);
  const [opportunity] = await serverRecords(api, '/opportunities', 'the opportunity on the server');
  assert.equal(opportunity.customer_id, customer.id);
  // Back returns to the customer it was added from, which now lists it.
  await click(page, 'record.back');
  await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && itemsWithPrefix(s, 'related.opportunities.row.').length === 1 && s,
    { what: 'back on the customer, listing the opportunity' });

  // In English the side bar reads in English.
  await click(page, 'app.lang');
  const en = await waitForSnapshot(page, (s) => s.lang === 'en' && s);
  assert.equal(findItem(en, 'nav.tickets').label, 'Service tickets');
  assert.equal(findItem(en, 'nav.opportunities').label, 'Opportunities');
  await click(page, 'nav.contracts');
  const list = await waitForSnapshot(page, (s) => s.screen === 'contracts' && numberIn(findItem(s, 'contracts.count')?.label) === 1 && s,
    { what: 'the contract list in English' });
  assert.match(findItem(list, 'contracts.count').label, /record/);
  await screenshot(page, 'module-contracts-en.png');
});
