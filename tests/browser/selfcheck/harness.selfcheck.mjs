// harness.selfcheck.mjs — checks the harness itself, without the real client: Chromium starts with the
// flags from TOOLCHAIN.md and draws WebGL2 through SwiftShader; the server helper starts and stops
// crm-server; the API helper signs in and seeds; the input helpers (mouse, keys, IME, paste) reach a
// stand-in page (mock/index.html) that speaks the client's test-hook format.
// Run: bash tests/browser/run.sh BUILD --self-check
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  SCREENSHOT_DIR, adminApi, click, findItem, imeType, launchBrowser, openClient, pasteInto, seedCustomerRecords,
  screenshot, setClipboard, snapshot, startServer, typeInto, waitForIdle, waitForSnapshot,
} from '../lib/index.js';

const MOCK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'mock');

function pngSize(file) {
  const b = fs.readFileSync(file);
  assert.equal(b.toString('latin1', 1, 4), 'PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('crm-server helper starts, answers /healthz, signs in, seeds and searches, stops', async () => {
  const server = await startServer({ staticDir: MOCK });
  const pid = server.child.pid;
  try {
    const health = await (await fetch(`${server.baseUrl}/healthz`)).json();
    console.log(`# server on ${server.baseUrl} pid ${pid}: ${JSON.stringify(health)}`);
    assert.equal(health.status, 'ok');
    const api = await adminApi(server.baseUrl);
    assert.ok(api.token.length > 20);
    const records = seedCustomerRecords(300);
    assert.equal(new Set(records.map((r) => r.name)).size, 300);
    assert.equal(new Set(records.map((r) => r.phone)).size, 300);
    const t0 = Date.now();
    const created = await api.seedCustomers(records);
    console.log(`# seeded ${created.length} customers in ${Date.now() - t0} ms`);
    assert.ok(created.every((c, i) => c.id > 0 && c.name === records[i].name));
    const all = await api.listCustomers({ limit: '1' });
    assert.equal(all.total, 300);
    const expected = records.filter((r) => r.name.includes('科技')).length;
    const hits = await api.listCustomers({ q: '科技' });
    console.log(`# q=科技: total ${hits.total}, expected ${expected}; e.g. ${hits.items.slice(0, 3).map((c) => c.name).join(', ')}`);
    assert.equal(hits.total, expected);
    assert.ok(hits.items.every((c) => c.name.includes('科技')));
    assert.equal((await api.customersNamed('吉𠮷物流')).length, 1);
    const again = await api.createCustomer({ name: 'Idempotent Co', phone: '13900000001' }, 'selfcheck-key-1');
    const replay = await api.createCustomer({ name: 'Idempotent Co', phone: '13900000001' }, 'selfcheck-key-1');
    assert.equal(replay.id, again.id);
    assert.equal((await api.customersNamed('Idempotent Co')).length, 1);
  } finally {
    await server.stop();
  }
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'crm-server is still running after stop()');
  assert.equal(fs.existsSync(server.dir), false);
});

test('Chromium draws WebGL2 (SwiftShader); click, type, IME, paste and screenshots reach the page', async () => {
  const server = await startServer({ staticDir: MOCK });
  const b = await launchBrowser({ deviceScaleFactor: 1, origin: server.baseUrl });
  try {
    const version = b.browser.version();
    const first = await openClient(b.page, server.baseUrl);
    assert.equal(first.screen, 'login');
    const gl = await b.page.evaluate(() => window.glInfo);
    console.log(`# Chromium ${version}; WebGL: ${JSON.stringify(gl)}`);
    assert.ok(gl, 'no WebGL2 context');
    assert.match(gl.version, /^WebGL 2\.0/);
    assert.match(gl.renderer, /SwiftShader/i);

    // The background pixel is the clear colour (teal), read back through WebGL.
    const pixel = await b.page.evaluate(() => {
      const g = document.getElementById('canvas').getContext('webgl2');
      const p = new Uint8Array(4);
      g.readPixels(5, 5, 1, 1, g.RGBA, g.UNSIGNED_BYTE, p);
      return Array.from(p);
    });
    assert.deepEqual(pixel, [0, 140, 140, 255]);

    await typeInto(b.page, 'login.username', 'admin');
    await typeInto(b.page, 'login.password', 'secret 1', { replace: true });
    const cdp = await b.context.newCDPSession(b.page);
    await imeType(b.page, cdp, '科技', { into: 'login.username', steps: ['k', 'ke', 'keji'] });
    await imeType(b.page, cdp, '吉𠮷');  // default steps: growing prefixes, 𠮷 never split
    let snap = await waitForSnapshot(b.page, (s) => findItem(s, 'login.username').label.length > 5 && s);
    assert.equal(findItem(snap, 'login.username').label, 'admin科技吉𠮷');
    assert.equal(findItem(snap, 'login.password').label, 'secret 1');

    await setClipboard(b.page, '粘贴：上海市 Room 101');
    await pasteInto(b.page, 'form.notes');
    snap = await waitForSnapshot(b.page, (s) => findItem(s, 'form.notes').label && s);
    assert.equal(findItem(snap, 'form.notes').label, '粘贴：上海市 Room 101');

    await click(b.page, 'login.submit');
    const state = await b.page.evaluate(() => window.kehuTest.state);
    assert.equal(state.clicks, 1);
    console.log(`# page events: ${state.events.filter((e) => !e.startsWith('input insertText')).join(' | ')}`);

    // Idle: the stand-in draws only on events, and polling the hook draws nothing.
    const before = (await waitForIdle(b.page)).frame;
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await snapshot(b.page)).frame, before);

    const file1 = await screenshot(b.page, 'selfcheck-dpr1.png');
    assert.deepEqual(pngSize(file1), { width: 1280, height: 800 });

    const two = await b.newContext({ deviceScaleFactor: 2 });
    await openClient(two.page, server.baseUrl);
    await typeInto(two.page, 'login.username', 'HiDPI');
    const canvas = await two.page.evaluate(() => ({ w: document.getElementById('canvas').width, css: document.getElementById('canvas').clientWidth, dpr: devicePixelRatio }));
    assert.deepEqual(canvas, { w: 2560, css: 1280, dpr: 2 });
    const file2 = await screenshot(two.page, 'selfcheck-dpr2.png');
    assert.deepEqual(pngSize(file2), { width: 2560, height: 1600 });
    console.log(`# screenshots in ${SCREENSHOT_DIR}: selfcheck-dpr1.png, selfcheck-dpr2.png`);

    // Offline switch per context: navigator.onLine follows it.
    await b.context.setOffline(true);
    await waitForSnapshot(b.page, (s) => s.online === false, { what: 'online === false' });
    await b.context.setOffline(false);
    await waitForSnapshot(b.page, (s) => s.online === true, { what: 'online === true' });
  } finally {
    await b.close();
    await server.stop();
  }
});
