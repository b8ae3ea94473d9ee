// kiosk_bench.mjs — the kiosk display (SPEC §8) measured in headless Chromium with the browser tests'
// library (tests/browser/lib): prints figures, asserts nothing.
//
//   node bench/browser/kiosk_bench.mjs [--cycles 5000] [--restarts 20] [--first-paint-runs 5] [--db FILE]
//
// 1. first paint: a fresh browser context opens BASE/?kiosk=TOKEN; from navigation start to the first
//    frame whose snapshot shows a dashboard with its figures (no "…" left in its tiles).
// 2. soak: --cycles refresh cycles (a customer created through the API, the display's stats event and its
//    new reading of every figure, until the tile shows the new count) with --restarts server restarts
//    spread among them; the JS heap (after a forced garbage collection, CDP) and the wasm memory are read
//    half way (the warm-up: the shell's ring of the last 5,000 frame times is full by then) and at the
//    end, with the number of stuck cycles (a figure not shown within 15 s).
// --db FILE runs the server on a copy of a database (e.g. one with 1M orders from kehu-bench-stats --db).
// Environment: BUILD (default build) holds server/crm-server and web/.
import { parseArgs } from 'node:util';

import { adminApi, findItem, launchBrowser, openClient, sleep, startServer, waitForSnapshot } from '../../tests/browser/lib/index.js';

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '5000' },
    restarts: { type: 'string', default: '20' },
    'first-paint-runs': { type: 'string', default: '5' },
    db: { type: 'string' },
  },
});
const cycles = Number(args.cycles), restarts = Number(args.restarts), paintRuns = Number(args['first-paint-runs']);

const tileValue = (s, id) => (findItem(s, id)?.label ?? '').split(': ')[1] ?? '';
const ready = (s) => s.screen === 'kiosk.customers' && tileValue(s, 'dash.customers.total') !== '' && tileValue(s, 'dash.customers.total') !== '…';

async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => (window.Module && window.Module.HEAPU8 ? window.Module.HEAPU8.length : -1));
  // The shell keeps the last 5,000 frames' times for the frame bench (kehu_shell.js): until that ring is
  // full, it grows the heap by design; the baseline is taken once it is.
  const frames = await page.evaluate(() => window.kehuBoot.frames.recent.length);
  return { js: heap.usedSize, wasm, frames };
}

const server = await startServer(args.db ? { dbFile: args.db } : {});
try {
  const api = await adminApi(server.baseUrl);
  const issued = await api.request('POST', '/admin/kiosk-tokens', { name: 'bench', dashboards: ['customers'] });
  const query = `&kiosk=${encodeURIComponent(issued.token)}`;

  const paints = [];
  for (let run = 0; run < paintRuns; ++run) {
    const b = await launchBrowser({ viewport: { width: 1920, height: 1080 } });
    try {
      const started = Date.now();
      await openClient(b.page, server.baseUrl, { query });
      await waitForSnapshot(b.page, (s) => ready(s) && s, { what: 'the dashboard with figures', timeout: 30000 });
      // The snapshot is read every 100 ms; navigation start comes from the page itself.
      const nav = await b.page.evaluate(() => performance.timeOrigin);
      paints.push(Math.round(Date.now() - Math.max(started, nav)));
    } finally {
      await b.browser.close();
    }
  }
  paints.sort((a, b) => a - b);
  console.log(`first paint with figures (ms, ${paintRuns} fresh contexts): min ${paints[0]} median ${paints[Math.floor(paints.length / 2)]} max ${paints[paints.length - 1]}`);

  const b = await launchBrowser({ viewport: { width: 1920, height: 1080 } });
  try {
    const cdp = await b.context.newCDPSession(b.page);
    await openClient(b.page, server.baseUrl, { query });
    let s = await waitForSnapshot(b.page, (x) => ready(x) && x, { what: 'the dashboard', timeout: 30000 });
    let count = Number(tileValue(s, 'dash.customers.total').replace(/,/g, ''));
    const warmup = Math.floor(cycles / 2);
    let before = null, stuck = 0, slowest = 0;
    const restartEvery = restarts > 0 ? Math.floor(cycles / (restarts + 1)) : Infinity;
    const started = Date.now();
    for (let i = 1; i <= cycles; ++i) {
      if (i === warmup) before = await memory(b.page, cdp);
      if (i % restartEvery === 0 && i / restartEvery <= restarts) {
        await server.halt();
        await sleep(1000);
        await server.resume();
      }
      const t0 = Date.now();
      await api.request('POST', '/customers', { name: `大屏测试客户 ${i}` });
      ++count;
      const want = count.toLocaleString('en-US');
      try {
        await waitForSnapshot(b.page, (x) => tileValue(x, 'dash.customers.total') === want && x, { what: `count ${want}`, timeout: 15000, interval: 20 });
      } catch {
        ++stuck;
        s = await waitForSnapshot(b.page, (x) => ready(x) && x, { what: 'the dashboard', timeout: 60000 });
        count = Number(tileValue(s, 'dash.customers.total').replace(/,/g, ''));
      }
      slowest = Math.max(slowest, Date.now() - t0);
      if (i % 500 === 0) console.log(`# ${i} cycles, ${Math.round((Date.now() - started) / 1000)} s`);
    }
    const after = await memory(b.page, cdp);
    const growth = (a, z) => (a > 0 ? `${(((z - a) / a) * 100).toFixed(1)} %` : 'n/a');
    console.log(`soak: ${cycles} refresh cycles, ${restarts} server restarts in ${Math.round((Date.now() - started) / 1000)} s; ` +
                `stuck ${stuck}; slowest cycle ${slowest} ms`);
    console.log(`JS heap after GC: ${before.js} -> ${after.js} bytes (${growth(before.js, after.js)}); ` +
                `wasm memory: ${before.wasm} -> ${after.wasm} bytes (${growth(before.wasm, after.wasm)}); ` +
                `frame-time ring ${before.frames} -> ${after.frames} entries`);
  } finally {
    await b.browser.close();
  }
} finally {
  await server.stop();
}
