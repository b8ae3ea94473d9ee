// kiosk.js — driving a kiosk display (/?kiosk=TOKEN) through refresh cycles, for its soak test and its
// bench: each cycle makes one customer through the API and waits for the customers dashboard's tile to
// show the new count (the server's `stats` event, the display reading its figures again, a frame).
import { findItem, waitForSnapshot } from './client.js';
import { sleep } from './env.js';

// The value shown by tile `id` ("客户总数: 1,234" -> "1,234"), "" when absent.
export const tileValue = (s, id) => (findItem(s, id)?.label ?? '').split(': ')[1] ?? '';
// The customers dashboard is up with its figures.
export const kioskReady = (s) => s.screen === 'kiosk.customers' && !['', '…'].includes(tileValue(s, 'dash.customers.total'));

// The page's JS heap after a forced garbage collection (CDP session `cdp`) and its wasm memory, in bytes.
export async function pageMemory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => (window.Module && window.Module.HEAPU8 ? window.Module.HEAPU8.length : -1));
  return { js: heap.usedSize, wasm };
}

// Runs `cycles` refresh cycles with `restarts` server stops and starts spread among them; memory is read
// after cycle `warmup` and at the end. Returns {stuck (cycles whose count never showed within 15 s),
// slowestMs, before, after, seconds}. `onProgress(i)` runs every 500 cycles.
export async function kioskSoak({ page, cdp, api, server, cycles, restarts, warmup, onProgress = () => {} }) {
  let s = await waitForSnapshot(page, (x) => kioskReady(x) && x, { what: 'the customers dashboard', timeout: 30000 });
  let count = Number(tileValue(s, 'dash.customers.total').replace(/,/g, ''));
  let before = null, stuck = 0, slowestMs = 0;
  const restartEvery = restarts > 0 ? Math.floor(cycles / (restarts + 1)) : Infinity;
  const started = Date.now();
  for (let i = 1; i <= cycles; ++i) {
    if (i === warmup) before = await pageMemory(page, cdp);
    if (i % restartEvery === 0 && i / restartEvery <= restarts) {
      await server.halt();
      await sleep(1000);
      await server.resume();
    }
    const t0 = Date.now();
    await api.request('POST', '/customers', { name: `大屏测试客户 ${i}` });
    const want = (++count).toLocaleString('en-US');
    try {
      await waitForSnapshot(page, (x) => tileValue(x, 'dash.customers.total') === want && x, { what: `count ${want}`, timeout: 15000, interval: 20 });
    } catch {
      ++stuck;
      s = await waitForSnapshot(page, (x) => kioskReady(x) && x, { what: 'the customers dashboard', timeout: 60000 });
      count = Number(tileValue(s, 'dash.customers.total').replace(/,/g, ''));
    }
    slowestMs = Math.max(slowestMs, Date.now() - t0);
    if (i % 500 === 0) onProgress(i);
  }
  const after = await pageMemory(page, cdp);
  return { stuck, slowestMs, before: before ?? after, after, seconds: Math.round((Date.now() - started) / 1000) };
}

// (z - a) / a as a percentage with one decimal, "n/a" when a is not positive.
export const growthPercent = (a, z) => (a > 0 ? `${(((z - a) / a) * 100).toFixed(1)} %` : 'n/a');
