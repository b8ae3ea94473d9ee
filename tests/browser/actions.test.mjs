// actions — what a record's page does besides editing: a contract submitted, rejected with a reason
// (asked for before anything is sent), resubmitted and approved; a ticket assigned to a person from the
// directory, worked and resolved with its resolution, its progress log read on its page and a note added
// there, online and offline; a pool customer claimed; a product deleted after a
// confirmation (cancel first keeps it); a customer the server refuses to delete (it has an order) comes
// back with the server's reason. Each change is checked on the server.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, pollUntil, screenshot, typeInto,
  waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

async function open(page, address, screen) {
  await page.evaluate((h) => { window.location.hash = h; }, address);
  await waitForScreen(page, screen);
}

e2e('contract and ticket steps, claim, delete with confirmation', { timeout: 180000 }, async ({ api, baseUrl, context, page }) => {
  const [customer] = await api.seedCustomers([{ name: '宁波港城贸易有限公司' }]);
  const pool = await api.request('POST', '/customers', { name: '公海里的客户', owner_id: null });
  const contract = await api.request('POST', '/contracts', { customer_id: customer.id, title: '年度采购合同', amount: 500000 });
  const ticket = await api.request('POST', '/tickets', { customer_id: customer.id, type: 'complaint', subject: '设备故障' });
  const spare = await api.request('POST', '/products', { sku: 'DEL-1', name: '待删除产品', price: 100, stock: 1 });
  const sold = await api.request('POST', '/products', { sku: 'KEEP-1', name: '已售产品', price: 100, stock: 5 });
  await api.request('POST', '/orders', { customer_id: customer.id, items: [{ product_id: sold.id, quantity: 1 }] });
  const me = await api.request('GET', '/me');
  const adminId = me.user?.id ?? me.id;

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  const contractNow = async () => api.request('GET', `/contracts/${contract.id}`);
  const ticketNow = async () => api.request('GET', `/tickets/${ticket.id}`);

  // The contract: submit, reject (needs a reason), submit again, approve.
  await open(page, `#/contracts/${contract.id}`, 'contracts.detail');
  await click(page, 'action.pending_approval');
  await pollUntil(async () => (await contractNow()).status === 'pending_approval', { what: 'the contract submitted' });
  await click(page, 'action.draft');
  await waitForItem(page, 'action.input');
  await click(page, 'action.confirm');  // disabled without a reason: nothing happens
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await contractNow()).status, 'pending_approval', 'no reject without a reason');
  await typeInto(page, 'action.input', '金额需要重新核对');
  await screenshot(page, 'action-reject.png');
  await click(page, 'action.confirm');
  await pollUntil(async () => (await contractNow()).status === 'draft', { what: 'the contract rejected' });
  assert.equal((await contractNow()).reject_reason, '金额需要重新核对');
  await waitForItem(page, 'action.pending_approval');
  await click(page, 'action.pending_approval');
  await waitForItem(page, 'action.signed');
  await click(page, 'action.signed');
  await pollUntil(async () => (await contractNow()).status === 'signed', { what: 'the contract approved' });
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.status')?.label === '已签署' && findItem(s, 'action.executing') && s,
    { what: 'the page to show the signed contract and its next step' });

  // The ticket: assign to someone from the directory, start, resolve with the resolution.
  await open(page, `#/tickets/${ticket.id}`, 'tickets.detail');
  await click(page, 'action.assigned');
  await click(page, 'action.assignee');
  await click(page, 'action.assignee.0');
  await typeInto(page, 'action.input', '请尽快上门');
  await click(page, 'action.confirm');
  await pollUntil(async () => (await ticketNow()).status === 'assigned', { what: 'the ticket assigned' });
  assert.equal((await ticketNow()).assignee_id, adminId);
  await waitForItem(page, 'action.in_progress');
  await click(page, 'action.in_progress');
  await click(page, 'action.confirm');
  await pollUntil(async () => (await ticketNow()).status === 'in_progress', { what: 'the ticket in progress' });
  await waitForItem(page, 'action.resolved');
  await click(page, 'action.resolved');
  await typeInto(page, 'action.input', '更换主板后恢复正常');
  await click(page, 'action.confirm');
  await pollUntil(async () => (await ticketNow()).status === 'resolved', { what: 'the ticket resolved' });
  assert.equal((await ticketNow()).resolution, '更换主板后恢复正常');
  const notes = await api.request('GET', `/tickets/${ticket.id}/notes`);
  assert.equal(notes.items[0].text, '请尽快上门');

  // The progress log on the page: every step, oldest first, with its states and note.
  const log = await waitForSnapshot(page, (s) => findItem(s, 'progress.entry.2') && s, { what: 'three steps in the progress log' });
  assert.ok(findItem(log, 'progress.entry.0').label.includes('新建 → 已分配：请尽快上门'), findItem(log, 'progress.entry.0').label);
  assert.ok(findItem(log, 'progress.entry.2').label.includes('处理中 → 已解决'), findItem(log, 'progress.entry.2').label);
  // A note added from the page reaches the server and the log.
  await typeInto(page, 'progress.input', '已电话回访，客户确认正常');
  await click(page, 'progress.add');
  await pollUntil(async () => (await api.request('GET', `/tickets/${ticket.id}/notes`)).items.length === 4, { what: 'the note on the server' });
  await waitForSnapshot(page, (s) => findItem(s, 'progress.entry.3')?.label.endsWith('：已电话回访，客户确认正常') && !findItem(s, 'progress.pending.0') && s,
    { what: 'the note in the log' });
  // Offline, a note waits in the outbox (shown as waiting) and is sent once online again.
  await context.setOffline(true);
  await waitForSnapshot(page, (s) => !s.online && s, { what: 'the client offline' });
  await typeInto(page, 'progress.input', '离线时记下的进展');
  await click(page, 'progress.add');
  await waitForSnapshot(page, (s) => findItem(s, 'progress.pending.0')?.label.startsWith('离线时记下的进展') && s.pending === 1 && s,
    { what: 'the offline note waiting' });
  await screenshot(page, 'ticket-progress.png');
  await context.setOffline(false);
  await pollUntil(async () => (await api.request('GET', `/tickets/${ticket.id}/notes`)).items.length === 5, { what: 'the offline note on the server' });
  await waitForSnapshot(page, (s) => findItem(s, 'progress.entry.4')?.label.endsWith('：离线时记下的进展') && !findItem(s, 'progress.pending.0') && s,
    { what: 'the offline note in the log', timeout: 30000 });

  // A pool customer, claimed.
  await open(page, `#/customers/${pool.id}`, 'customers.detail');
  await click(page, 'action.claim');
  await pollUntil(async () => (await api.request('GET', `/customers/${pool.id}`)).owner_id === adminId, { what: 'the customer claimed' });
  await waitForSnapshot(page, (s) => !findItem(s, 'action.claim') && s, { what: 'no claim button once owned' });

  // Delete asks first; cancel keeps the product, confirm deletes it.
  await open(page, `#/products/${spare.id}`, 'products.detail');
  await click(page, 'record.delete');
  // Esc closes the question, not the page.
  await waitForItem(page, 'delete.confirm');
  await page.keyboard.press('Escape');
  await waitForSnapshot(page, (s) => !findItem(s, 'delete.confirm') && s.screen === 'products.detail' && s, { what: 'the question closed, the page kept' });
  await click(page, 'record.delete');
  await click(page, 'delete.cancel');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await api.request('GET', `/products/${spare.id}`)).id, spare.id, 'cancel kept it');
  await click(page, 'record.delete');
  await screenshot(page, 'delete-confirm.png');
  await click(page, 'delete.confirm');
  // The page of a deleted record is left for the one before it (here: the customer claimed above).
  await waitForScreen(page, 'customers.detail');
  await pollUntil(async () => {
    try { await api.request('GET', `/products/${spare.id}`); return false; } catch (e) { return e.status === 404; }
  }, { what: 'the product deleted on the server' });

  // The server refuses to delete a customer with an order: it comes back, and the reason shows.
  await open(page, `#/customers/${customer.id}`, 'customers.detail');
  await click(page, 'record.delete');
  await click(page, 'delete.confirm');
  const refused = await waitForSnapshot(page, (s) => findItem(s, 'status.failed') && s, { what: 'the refusal in the status bar' });
  console.log(`# refused: ${findItem(refused, 'status.failed').label}`);
  assert.equal((await api.request('GET', `/customers/${customer.id}`)).id, customer.id);
  await open(page, `#/customers/${customer.id}`, 'customers.detail');
  await waitForSnapshot(page, (s) => findItem(s, 'record.field.name')?.label === customer.name && s, { what: 'the customer back in the cache' });
});
