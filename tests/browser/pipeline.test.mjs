// pipeline — opportunities as a stage board: each column counts its cards; dragging a card to another
// column moves it there on the server; a drop on lost asks for the reason first (nothing is sent
// without it); won and lost cards stay put (final). Screenshot pipeline.png under BUILD/screenshots/.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, drag, e2e, findItem, login, openClient, pollUntil, screenshot, typeInto,
  waitForCustomerList, waitForItem, waitForSnapshot,
} from './lib/index.js';

e2e('the opportunity board: counts, drag between stages, lost asks why', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  const [customer] = await api.seedCustomers([{ name: '青岛海风船舶' }]);
  const a = await api.request('POST', '/opportunities', { customer_id: customer.id, title: '船舶导航系统', amount: 8800000 });
  const b = await api.request('POST', '/opportunities', { customer_id: customer.id, title: '港口监控', amount: 1200000 });
  await api.request('POST', '/opportunities', { customer_id: customer.id, title: '备件年包', stage: 'qualified' });
  const stageOf = async (o) => (await api.request('GET', `/opportunities/${o.id}`)).stage;

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.opportunities');
  await click(page, 'opportunities.view.board');
  const board = await waitForSnapshot(page, (s) => findItem(s, `board.card.${a.id}`) && s, { what: 'the board' });
  assert.match(findItem(board, 'board.column.lead').label, /\(2\)$/);
  assert.match(findItem(board, 'board.column.qualified').label, /\(1\)$/);
  assert.match(findItem(board, 'board.column.won').label, /\(0\)$/);

  // Drag to proposal: moved on the server, and the counts follow.
  await drag(page, `board.card.${a.id}`, 'board.column.proposal');
  await pollUntil(async () => (await stageOf(a)) === 'proposal', { what: 'the opportunity in proposal on the server' });
  await waitForSnapshot(page, (s) => /\(1\)$/.test(findItem(s, 'board.column.proposal')?.label ?? '') &&
    /\(1\)$/.test(findItem(s, 'board.column.lead')?.label ?? '') && s, { what: 'the counts after the move' });

  // Drag to lost: the reason is asked for first.
  await drag(page, `board.card.${b.id}`, 'board.column.lost');
  await waitForItem(page, 'board.reason');
  await click(page, 'board.confirm');  // disabled without a reason
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(await stageOf(b), 'lead', 'nothing sent without a reason');
  await typeInto(page, 'board.reason', '预算被砍');
  await click(page, 'board.confirm');
  await pollUntil(async () => (await stageOf(b)) === 'lost', { what: 'the opportunity lost on the server' });
  assert.equal((await api.request('GET', `/opportunities/${b.id}`)).lost_reason, '预算被砍');
  await waitForSnapshot(page, (s) => findItem(s, `board.card.${b.id}`) && /\(1\)$/.test(findItem(s, 'board.column.lost')?.label ?? '') && s,
    { what: 'the card in the lost column' });
  await screenshot(page, 'pipeline.png');

  // A lost card is final: dragging it does nothing.
  await drag(page, `board.card.${b.id}`, 'board.column.lead');
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(await stageOf(b), 'lost');
  const last = await waitForSnapshot(page, (s) => s);
  assert.equal(findItem(last, 'status.failed'), null, 'nothing was refused');
});
