// order_lines — an order made in the client from its customer's page: lines of product (found by
// typing), quantity and an optional price; a bad line is named by its number before anything is sent;
// the server computes the total from the lines and takes the stock.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, screenshot, serverRecords, typeInto,
  waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

e2e('an order with two lines, a bad line named, the total from the server', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  const [customer] = await api.seedCustomers([{ name: '合肥庐州办公用品' }]);
  const paper = await api.request('POST', '/products', { sku: 'PAPER-A4', name: '复印纸 A4', price: 2500, stock: 100 });
  const toner = await api.request('POST', '/products', { sku: 'TONER-1', name: '硒鼓', price: 45000, stock: 10 });
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, `customers.row.${customer.id}`);
  await waitForScreen(page, 'customers.detail');
  // Every related section drawn: the page's layout is settled before a button is clicked by position.
  await waitForItem(page, 'related.tickets.new');
  await click(page, 'related.orders.new');
  await waitForScreen(page, 'orders.form');
  await waitForSnapshot(page, (s) => findItem(s, 'form.customer_id')?.label === customer.name && s, { what: 'the customer preset' });

  await typeInto(page, 'form.items.0.product', '复印');
  await click(page, 'form.items.0.product.match.0');
  await typeInto(page, 'form.items.0.quantity', '3');
  await click(page, 'form.items.add');
  await typeInto(page, 'form.items.1.product', 'TONER');
  await click(page, 'form.items.1.product.match.0');
  await typeInto(page, 'form.items.1.quantity', '两个');
  await typeInto(page, 'form.items.1.unit_price', '420.00');
  await click(page, 'form.save');
  const bad = await waitForItem(page, 'form.error.items');
  assert.match(bad.label, /第 2 行/, `the bad line is named: ${bad.label}`);
  assert.equal((await api.request('GET', '/orders')).items.length, 0, 'nothing sent');
  await typeInto(page, 'form.items.1.quantity', '2', { replace: true });
  await screenshot(page, 'order-form.png');
  await click(page, 'form.save');
  await waitForScreen(page, 'orders.detail', 20000);
  const [order] = await serverRecords(api, '/orders', 'the order on the server');
  assert.equal(order.customer_id, customer.id);
  assert.equal(order.total, 3 * 2500 + 2 * 42000, 'the list price for paper, the typed price for toner');
  assert.equal((await api.request('GET', `/products/${paper.id}`)).stock, 97);
  assert.equal((await api.request('GET', `/products/${toner.id}`)).stock, 8);
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.total')?.label === '915.00' && s, { what: 'the total from the server' });
});
