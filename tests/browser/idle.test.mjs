// idle — after sign-in and sync, an untouched tab draws (almost) nothing: at most 5 frames in 10 s
// (SPEC §8: the client draws only when something changed).
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, e2e, login, openClient, seedCustomerRecords, sleep, snapshot, waitForCustomerList,
  waitForSnapshot,
} from './lib/index.js';

const MAX_FRAMES = 5;

e2e('an idle client draws at most 5 frames in 10 s', async ({ api, baseUrl, page, cdp }) => {
  await api.seedCustomers(seedCustomerRecords(50));
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await waitForSnapshot(page, (s) => s.pending === 0 && s.online && s, { what: 'synced, nothing pending' });
  // The mouse rests on the submit button's old place: move it off the window's widgets, then hands off.
  await page.mouse.move(1, 1);

  await sleep(1000);
  await cdp.send('Performance.enable');
  const cpu0 = await cdp.send('Performance.getMetrics');
  const first = (await snapshot(page)).frame;
  await sleep(10000);
  const last = (await snapshot(page)).frame;
  const cpu1 = await cdp.send('Performance.getMetrics');
  const metric = (m, name) => m.metrics.find((x) => x.name === name)?.value ?? NaN;
  const busy = metric(cpu1, 'TaskDuration') - metric(cpu0, 'TaskDuration');
  console.log(`# frames drawn in 10 s idle: ${last - first} (frame ${first} -> ${last}); main-thread task time ${(busy * 1000).toFixed(0)} ms`);
  assert.ok(last >= first, 'the frame counter went backwards (did the page reload?)');
  assert.ok(last - first <= MAX_FRAMES, `${last - first} frames drawn in 10 s without input (at most ${MAX_FRAMES})`);
});
