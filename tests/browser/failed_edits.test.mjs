// failed_edits — edits the server refuses after being made offline (here: customers someone else created
// meanwhile, 撞单) stay on the device until the user settles them (SPEC §6): one is fixed in its form with
// the server's words shown and then saved, the other is discarded after a confirmation and never reaches
// the server.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, backToList, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil, typeInto,
  waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

async function createOffline(page, name, phone) {
  await click(page, 'customers.new');
  await waitForScreen(page, 'customers.form');
  await typeInto(page, 'form.name', name);
  await typeInto(page, 'form.phone', phone);
  await waitForSnapshot(page, (s) => findItem(s, 'form.name')?.label === name && findItem(s, 'form.phone')?.label === phone && s, { what: `the form filled for ${name}` });
  await click(page, 'form.save');
  await waitForSnapshot(page, (s) => s.screen !== 'customers.form' && s, { what: `${name} queued` });
  await backToList(page);
}

e2e('refused offline edits wait for the user: one fixed in its form, one discarded', { timeout: 180000 }, async ({ api, baseUrl, context, page }) => {
  const FIRST = '苏州重复测试有限公司';
  const SECOND = '无锡重复测试有限公司';
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await context.setOffline(true);
  await waitForSnapshot(page, (s) => s.online === false && s, { what: 'offline' });
  await createOffline(page, FIRST, '0512-6000 0001');
  await createOffline(page, SECOND, '0510-6000 0002');
  await waitForSnapshot(page, (s) => s.pending === 2 && s, { what: 'two creations queued' });
  // Meanwhile a colleague entered both customers.
  await api.seedCustomers([{ name: FIRST }, { name: SECOND }]);

  await context.setOffline(false);
  const refused = await waitForSnapshot(page, (s) => s.pending === 0 && /2/.test(findItem(s, 'status.failed')?.label ?? '') && s,
    { what: 'both refused', timeout: 30000 });
  assert.match(findItem(refused, 'status.failed').label, /已存在|撞单|重复|负责人/, `the server's words: ${findItem(refused, 'status.failed').label}`);
  // Still on the device: listed (under local ids) until settled.
  await waitForItem(page, (it) => it.id.startsWith('customers.row.-') && it.label === FIRST);

  await click(page, 'status.failed.open');
  let panel = await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'failed.title.').length === 2 && s, { what: 'the two refused edits' });
  const titleOf = (s, name) => itemsWithPrefix(s, 'failed.title.').find((it) => it.label.includes(name));
  const first = titleOf(panel, FIRST).id.split('.').pop();
  const second = titleOf(panel, SECOND).id.split('.').pop();
  assert.ok(findItem(panel, `failed.error.${first}`).label.length > 0);

  // The second: discard asks first; keeping it keeps it.
  await click(page, `failed.discard.${second}`);
  await waitForItem(page, `failed.discard.question.${second}`);
  await click(page, `failed.discard.cancel.${second}`);
  panel = await waitForSnapshot(page, (s) => !findItem(s, `failed.discard.question.${second}`) && s, { what: 'the question gone' });
  assert.equal(itemsWithPrefix(panel, 'failed.title.').length, 2, 'kept');
  await click(page, `failed.discard.${second}`);
  await click(page, `failed.discard.confirm.${second}`);
  await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'failed.title.').length === 1 && s, { what: 'one left after the discard' });

  // The first: fixed in its form, which shows what was typed and why it was refused.
  await click(page, `failed.fix.${first}`);
  const form = await waitForSnapshot(page, (s) => s.screen === 'customers.form' && findItem(s, 'form.error') && s, { what: 'the form with the error' });
  assert.equal(findItem(form, 'form.name').label, FIRST);
  assert.equal(findItem(form, 'form.phone').label, '0512-6000 0001');
  await typeInto(page, 'form.name', '苏州重复测试有限公司（工业园区）', { replace: true });
  await waitForSnapshot(page, (s) => findItem(s, 'form.name')?.label === '苏州重复测试有限公司（工业园区）' && s, { what: 'the new name typed' });
  await click(page, 'form.save');
  await pollUntil(async () => (await api.customersNamed('苏州重复测试有限公司（工业园区）')).length === 1, { what: 'the fixed customer on the server' });
  await waitForSnapshot(page, (s) => s.pending === 0 && !findItem(s, 'status.failed') && s, { what: 'nothing left to settle' });
  // The discarded one never reached the server: only the colleague's.
  assert.equal((await api.customersNamed(SECOND)).length, 1);
  await backToList(page);
  await waitForSnapshot(page, (s) => !s.items.some((it) => it.id.startsWith('customers.row.-')) && s, { what: 'no local rows left' });
});
