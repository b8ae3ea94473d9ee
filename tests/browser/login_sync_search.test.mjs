// login_sync_search — sign in, first sync of ~300 customers, a 2-character Chinese search typed through
// the input method; the same at devicePixelRatio 1 and 2 (screenshots login.png, customers-dpr1.png,
// customers-dpr2.png under BUILD/screenshots/).
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, imeType, login, numberIn, openClient, rows, screenshot,
  seedCustomerRecords, waitForCustomerList, waitForItem, waitForSnapshot,
} from './lib/index.js';

const QUERY = '科技';

// Signs in on a fresh page, waits for the list, searches QUERY; returns the snapshot with the results.
async function signInAndSearch(page, cdp, baseUrl, { total, expected, onLogin }) {
  await openClient(page, baseUrl);
  await waitForItem(page, 'login.submit');
  if (onLogin) await onLogin();
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  const { snap, screens } = await waitForCustomerList(page);
  console.log(`# screens after login: ${screens.join(' -> ')}`);
  if (!screens.includes('syncing')) console.log('# (the first sync finished before a snapshot saw "syncing")');
  for (const id of ['status.online', 'status.pending', 'status.last_sync', 'status.logout']) {
    assert.ok(findItem(snap, id), `status bar item ${id} missing on the customer list`);
  }
  // Everything synced: the unfiltered count is every customer on the server.
  await waitForSnapshot(page, (s) => numberIn(findItem(s, 'customers.count')?.label) === total && s,
    { what: `customers.count to show ${total} (all synced customers)`, timeout: 60000 });

  await imeType(page, cdp, QUERY, { into: 'customers.search', steps: ['k', 'ke', 'keji'] });
  const result = await waitForSnapshot(page, (s) => {
    const visible = rows(s);
    const count = numberIn(findItem(s, 'customers.count')?.label);
    return findItem(s, 'customers.search')?.label === QUERY && count > 0 && visible.length > 0 &&
      visible.every((r) => r.label.includes(QUERY)) && s;
  }, { what: `every visible customers.row.* to contain ${QUERY}` });
  const count = numberIn(findItem(result, 'customers.count').label);
  console.log(`# ${QUERY}: count ${count} (server ${expected}), ${rows(result).length} rows visible, e.g. ${rows(result).slice(0, 3).map((r) => r.label).join(', ')}`);
  assert.equal(count, expected, `customers.count for ${QUERY}`);
  return result;
}

e2e('login, first sync and an IME search for 科技 at DPR 1 and 2', { timeout: 150000 }, async ({ api, baseUrl, browser, page, cdp }) => {
  const records = seedCustomerRecords(300);
  const created = await api.seedCustomers(records);
  const nameById = new Map(created.map((c) => [c.id, c.name]));
  const expected = (await api.listCustomers({ q: QUERY })).total;
  assert.equal(expected, records.filter((r) => r.name.includes(QUERY)).length);

  const viewport = page.viewportSize();
  const snap = await signInAndSearch(page, cdp, baseUrl, {
    total: records.length,
    expected,
    onLogin: async () => {
      await screenshot(page, 'login.png');
      // The language switch works both ways on the login screen.
      const { lang } = await waitForSnapshot(page, (s) => s.lang && s);
      await click(page, 'login.lang');
      await waitForSnapshot(page, (s) => s.lang !== lang && s, { what: `lang to change from ${lang}` });
      await click(page, 'login.lang');
      await waitForSnapshot(page, (s) => s.lang === lang && s, { what: `lang back to ${lang}` });
    },
  });
  // Row ids are the server's ids, row labels the names.
  for (const r of rows(snap)) {
    const id = Number(r.id.slice('customers.row.'.length));
    assert.equal(r.label, nameById.get(id), `${r.id} is labelled ${r.label}, the server's customer ${id} is ${nameById.get(id)}`);
    assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= viewport.width + 1 && r.y + r.h <= viewport.height + 1,
      `${r.id} lies outside the ${viewport.width}x${viewport.height} viewport (CSS pixels?): ${JSON.stringify(r)}`);
  }
  await screenshot(page, 'customers-dpr1.png');

  // devicePixelRatio 2: a second context (own storage, so a second first sync).
  const two = await browser.newContext({ deviceScaleFactor: 2 });
  const cdp2 = await two.context.newCDPSession(two.page);
  const snap2 = await signInAndSearch(two.page, cdp2, baseUrl, { total: records.length, expected });
  // Snapshot coordinates stay in CSS pixels; the canvas has device pixels behind them (crisp text).
  for (const r of rows(snap2)) {
    assert.ok(r.x + r.w <= viewport.width + 1 && r.y + r.h <= viewport.height + 1,
      `${r.id} at DPR 2 lies outside the viewport in CSS pixels: ${JSON.stringify(r)}`);
  }
  const canvas = await two.page.evaluate(() => {
    const c = document.querySelector('canvas');
    return { width: c.width, cssWidth: c.getBoundingClientRect().width, dpr: window.devicePixelRatio };
  });
  assert.equal(canvas.dpr, 2);
  assert.ok(Math.abs(canvas.width - canvas.cssWidth * 2) <= 2, `canvas backing store ${canvas.width} px for ${canvas.cssWidth} CSS px at DPR 2`);
  await screenshot(two.page, 'customers-dpr2.png');
  await two.context.close();
});
