// campaign_members — 活动成员 on a campaign's page: add a customer found by typing part of its name, add one
// contact of another customer, move a member's status on, remove one after a confirmation (cancel first keeps
// it); a contact who refuses e-mail is refused on an e-mail campaign with the server's reason, and nothing is
// added. Every step is checked on the server. Screenshot campaign-members.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, choose, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil,
  screenshot, typeInto, waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

// Finds a customer in the picker by part of its name.
async function pick(page, text, name) {
  await typeInto(page, 'members.customer', text);
  const snap = await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'members.customer.match.').some((it) => it.label.startsWith(name)) && s,
    { what: `${name} among the matches` });
  await click(page, itemsWithPrefix(snap, 'members.customer.match.').find((it) => it.label.startsWith(name)).id);
}

e2e('campaign members added, moved on, removed; a refusal explained', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  const campaign = await api.request('POST', '/campaigns', { name: '春季新品邮件推广', type: 'email' });
  const first = await api.request('POST', '/customers', { name: '远航物流有限公司' });
  const second = await api.request('POST', '/customers', { name: '星河电子有限公司' });
  const buyer = await api.request('POST', '/contacts', { customer_id: second.id, name: '赵敏' });
  const refuser = await api.request('POST', '/contacts', { customer_id: second.id, name: '钱进', do_not_email: true });
  const members = async () => (await api.request('GET', `/campaigns/${campaign.id}/members`)).items;

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.campaigns');
  await waitForScreen(page, 'campaigns');
  await click(page, `campaigns.row.${campaign.id}`);
  await waitForScreen(page, 'campaigns.detail');
  await waitForItem(page, 'members.customer');

  // A whole customer.
  await pick(page, '远航', first.name);
  await click(page, 'members.add');
  await pollUntil(async () => (await members()).length === 1, { what: 'the first member on the server' });
  await waitForSnapshot(page, (s) => findItem(s, 'members.row.0')?.label.startsWith(first.name) && s, { what: 'the member listed' });

  // One contact of another customer.
  await pick(page, '星河', second.name);
  await choose(page, 'members.with_contact', '赵敏');
  await click(page, 'members.add');
  await pollUntil(async () => (await members()).some((m) => m.contact_id === buyer.id), { what: 'the contact as a member' });
  await waitForSnapshot(page, (s) => findItem(s, 'members.contact.1')?.label === '赵敏' && s, { what: 'the contact listed' });

  // A contact who refuses e-mail: the server's reason shows, nothing is added.
  await pick(page, '星河', second.name);
  await choose(page, 'members.with_contact', '钱进');
  await click(page, 'members.add');
  const refused = await waitForItem(page, 'members.error');
  assert.match(refused.label, /拒收邮件/);
  assert.equal((await members()).length, 2);
  assert.ok(!(await members()).some((m) => m.contact_id === refuser.id));

  // The status moves on.
  await choose(page, 'members.status.0', '已回复');
  await pollUntil(async () => (await members()).find((m) => m.customer_id === first.id)?.status === 'responded', { what: 'responded' });
  await waitForSnapshot(page, (s) => findItem(s, 'members.status.0')?.label === '已回复' && !findItem(s, 'members.error') && s,
    { what: 'the status shown' });
  await screenshot(page, 'campaign-members.png');

  // Removing asks first.
  await click(page, 'members.remove.1');
  await click(page, 'members_remove.cancel');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal((await members()).length, 2, 'cancel keeps the member');
  await click(page, 'members.remove.1');
  assert.match((await waitForItem(page, 'members_remove.question')).label, /星河电子/);
  await click(page, 'members_remove.confirm');
  await pollUntil(async () => (await members()).length === 1, { what: 'the member removed' });
  await waitForSnapshot(page, (s) => findItem(s, 'members.count')?.label === '（1）' && !findItem(s, 'members.row.1') && s,
    { what: 'one member left' });
});
