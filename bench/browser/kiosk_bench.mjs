// kiosk_bench.mjs — the kiosk display (SPEC §8) measured in headless Chromium with the browser tests'
// library (tests/browser/lib): prints figures, asserts nothing.
//
//   node bench/browser/kiosk_bench.mjs [--cycles 5000] [--restarts 20] [--first-paint-runs 5] [--db FILE]
//
// 1. first paint: a fresh browser context opens BASE/?kiosk=TOKEN at 1920×1080; from navigation start to
//    the first snapshot showing the customers dashboard with its figures.
// 2. soak (lib/kiosk.js): --cycles refresh cycles (a customer made through the API, the display's stats
//    event, its figures read again, until its tile shows the new count) with --restarts server restarts
//    spread among them; the JS heap (after a forced garbage collection) and the wasm memory are read
//    after the warm-up (half the cycles, at most 1,000: the heap settles over the first few hundred as V8
//    compiles) and at the end, with the cycles whose count never showed (stuck).
// --db FILE runs the server on a copy of a database (e.g. one with 1M orders from kehu-bench-stats --db).
// Environment: BUILD (default build) holds server/crm-server and web/.
import { parseArgs } from 'node:util';

import {
  adminApi, growthPercent, kioskReady, kioskSoak, launchBrowser, openClient, startServer, waitForSnapshot,
} from '../../tests/browser/lib/index.js';

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '5000' },
    restarts: { type: 'string', default: '20' },
    'first-paint-runs': { type: 'string', default: '5' },
    db: { type: 'string' },
  },
});
const cycles = Number(args.cycles), restarts = Number(args.restarts), paintRuns = Number(args['first-paint-runs']);
const viewport = { width: 1920, height: 1080 };

const server = await startServer(args.db ? { dbFile: args.db } : {});
try {
  const api = await adminApi(server.baseUrl);
  const issued = await api.request('POST', '/admin/kiosk-tokens', { name: 'bench', dashboards: ['customers'] });
  const query = `&kiosk=${encodeURIComponent(issued.token)}`;

  const paints = [];
  for (let run = 0; run < paintRuns; ++run) {
    const b = await launchBrowser({ viewport });
    try {
      const started = Date.now();
      await openClient(b.page, server.baseUrl, { query });
      await waitForSnapshot(b.page, (s) => kioskReady(s) && s, { what: 'the dashboard with figures', timeout: 30000 });
      const navigationStart = await b.page.evaluate(() => performance.timeOrigin);
      paints.push(Math.round(Date.now() - Math.max(started, navigationStart)));
    } finally {
      await b.browser.close();
    }
  }
  paints.sort((a, b) => a - b);
  console.log(`first paint with figures (ms, ${paintRuns} fresh contexts): min ${paints[0]} median ${paints[Math.floor(paints.length / 2)]} max ${paints[paints.length - 1]}`);

  const b = await launchBrowser({ viewport });
  try {
    const cdp = await b.context.newCDPSession(b.page);
    await openClient(b.page, server.baseUrl, { query });
    const r = await kioskSoak({ page: b.page, cdp, api, server, cycles, restarts, warmup: Math.max(1, Math.min(1000, Math.floor(cycles / 2))),
      onProgress: (i) => console.log(`# ${i} cycles`) });
    console.log(`soak: ${cycles} refresh cycles, ${restarts} server restarts in ${r.seconds} s; stuck ${r.stuck}; slowest cycle ${r.slowestMs} ms`);
    console.log(`JS heap after GC: ${r.before.js} -> ${r.after.js} bytes (${growthPercent(r.before.js, r.after.js)}); ` +
                `wasm memory: ${r.before.wasm} -> ${r.after.wasm} bytes (${growthPercent(r.before.wasm, r.after.wasm)})`);
  } finally {
    await b.browser.close();
  }
} finally {
  await server.stop();
}
