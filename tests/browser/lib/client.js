// client.js — driving the ImGui client through its test hook (SPEC §8). The page opened with ?test=1 has
// window.kehuTest.snapshot() -> {screen, frame, lang, online, pending, items: [{id, label, kind, x, y, w, h}]}
// for the last drawn frame, in CSS pixels of the canvas. Everything here finds widgets by id, clicks
// their centre with the mouse and types with the keyboard or an input method, as a person would.
import fs from 'node:fs';
import path from 'node:path';

import { SCREENSHOT_DIR, ms, sleep } from './env.js';

// --- reading the hook ---

// The snapshot of the last drawn frame (the hook may hand back JSON text or an object), or null when the
// hook is not there yet.
export async function snapshot(page) {
  const raw = await page.evaluate(() => {
    const hook = window.kehuTest;
    if (!hook || typeof hook.snapshot !== 'function') return null;
    return hook.snapshot();
  });
  if (raw === null || raw === undefined) return null;
  return typeof raw === 'string' ? JSON.parse(raw) : raw;
}

export const findItem = (snap, id) => snap?.items?.find((it) => it.id === id) ?? null;
export const itemsWithPrefix = (snap, prefix) => (snap?.items ?? []).filter((it) => it.id.startsWith(prefix));
export const rows = (snap) => itemsWithPrefix(snap, 'customers.row.');

// The first whole number in a label ("共 1,234 条", "300 results", "待发送 2") or NaN.
export function numberIn(label) {
  const m = /\d[\d,]*/.exec(label ?? '');
  return m ? Number(m[0].replace(/,/g, '')) : NaN;
}

// A short text of a snapshot for error messages.
export function describe(snap) {
  if (!snap) return 'no snapshot (window.kehuTest missing)';
  const items = snap.items.slice(0, 40).map((it) => `${it.id}${it.label ? `=${JSON.stringify(it.label)}` : ''}`);
  const more = snap.items.length > 40 ? ` … ${snap.items.length - 40} more` : '';
  return `screen=${snap.screen} frame=${snap.frame} lang=${snap.lang} online=${snap.online} pending=${snap.pending} items: ${items.join(', ')}${more}`;
}

// Polls snapshot() until `predicate(snap)` returns a truthy value, which is returned. `what` names the
// wait in the timeout error (which also shows the last snapshot).
export async function waitForSnapshot(page, predicate, { timeout = ms(15000), what = 'the snapshot condition', interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let snap = null;
  let lastError = null;
  for (;;) {
    try {
      snap = await snapshot(page);
      lastError = null;
    } catch (e) {
      if (/Target (page, context or browser )?(has been )?closed/.test(e.message)) throw e;
      lastError = e;  // the page is navigating, or the hook threw: try again
    }
    if (snap && !lastError) {
      const result = predicate(snap);  // a predicate that throws ends the wait
      if (result) return result;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; last: ${describe(snap)}${lastError ? ` (error: ${lastError.message})` : ''}`);
    }
    await sleep(interval);
  }
}

// Waits for an item: `target` is an id, or a predicate (item, snap) => bool. Returns the item.
export function waitForItem(page, target, timeout = ms(15000)) {
  const match = typeof target === 'function' ? target : (it) => it.id === target;
  const what = typeof target === 'function' ? `an item matching ${target}` : `item ${target}`;
  return waitForSnapshot(page, (snap) => snap.items.find((it) => match(it, snap)), { timeout, what });
}

export function waitForScreen(page, screen, timeout = ms(15000)) {
  return waitForSnapshot(page, (snap) => snap.screen === screen && snap, { timeout, what: `screen "${screen}"` });
}

// Waits until no new frame has been drawn for `quietMs` (the client went idle), returns the snapshot.
export async function waitForIdle(page, { quietMs = 500, timeout = ms(15000) } = {}) {
  const deadline = Date.now() + timeout;
  let snap = await snapshot(page);
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(100);
    const now = await snapshot(page);
    if (now.frame !== snap.frame) since = Date.now();
    snap = now;
    if (Date.now() - since >= quietMs) return snap;
  }
  throw new Error(`the client kept drawing for ${timeout} ms; last: ${describe(snap)}`);
}

// --- opening the client ---

// Rejects when one of the client's own files (the page, crm.js, crm.wasm, fonts/) answers with an error, so a
// missing build fails at once instead of after the timeout. stop() detaches it.
function watchClientFiles(page) {
  let onResponse;
  const failed = new Promise((_, reject) => {
    onResponse = (res) => {
      const { pathname } = new URL(res.url());
      if (res.status() >= 400 && /^\/(crm\.js|crm\.wasm|index\.html|fonts\/.*)?$/.test(pathname)) {
        reject(new Error(`${res.url()} answered ${res.status()}: the web client is not built or not served`));
      }
    };
  });
  failed.catch(() => {});
  page.on('response', onResponse);
  return { failed, stop: () => page.off('response', onResponse) };
}

async function waitForHook(page, watch, timeout) {
  try {
    await Promise.race([watch.failed, page.waitForFunction(() => {
      const hook = window.kehuTest;
      if (!hook || typeof hook.snapshot !== 'function') return false;
      const raw = hook.snapshot();
      const snap = typeof raw === 'string' ? JSON.parse(raw) : raw;
      return snap && snap.frame > 0;
    }, null, { timeout, polling: 100 })]);
  } catch (e) {
    const status = await page.evaluate(() => document.getElementById('status')?.innerText ?? '').catch(() => '');
    throw new Error(`the client did not draw a first frame with the test hook${status ? ` (page says: ${status.replace(/\s+/g, ' ')})` : ''}: ${e.message}`);
  } finally {
    watch.stop();
  }
  return snapshot(page);
}

// Opens BASE/?test=1 and waits until the hook exists and a first frame was drawn; returns the snapshot.
export async function openClient(page, baseUrl, { timeout = ms(60000), query = '' } = {}) {
  const watch = watchClientFiles(page);
  try {
    await page.goto(`${baseUrl}/?test=1${query}`, { waitUntil: 'load', timeout });
  } catch (e) {
    watch.stop();
    throw e;
  }
  return waitForHook(page, watch, timeout);
}

// Reloads the page and waits for the hook and a first frame again.
export async function reloadClient(page, { timeout = ms(60000) } = {}) {
  const watch = watchClientFiles(page);
  try {
    await page.reload({ waitUntil: 'load', timeout });
  } catch (e) {
    watch.stop();
    throw e;
  }
  return waitForHook(page, watch, timeout);
}

// --- acting like a person ---

// The canvas's offset in the page: snapshot coordinates are relative to the canvas.
async function canvasOffset(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('canvas');
    if (!canvas) return { x: 0, y: 0 };
    const r = canvas.getBoundingClientRect();
    return { x: r.left, y: r.top };
  });
}

export const centre = (item) => ({ x: item.x + item.w / 2, y: item.y + item.h / 2 });

// Where the item is once the layout stopped moving: a page still filling in (a record's related sections
// arriving) shifts its buttons between two frames, and a click aimed at the first place would land on
// another button. Settled when no new frame was drawn, or the item kept its place over one.
async function settledItem(page, id, timeout) {
  const deadline = Date.now() + timeout;
  let item = await waitForItem(page, id, timeout);
  let snap = await snapshot(page).catch(() => null);
  for (let i = 0; snap && i < 20; ++i) {
    await sleep(40);
    const next = await snapshot(page).catch(() => null);
    if (!next) break;  // the page is navigating: the item as found
    const again = findItem(next, id);
    if (next.frame === snap.frame || (again && again.x === item.x && again.y === item.y)) return again ?? item;
    snap = next;
    item = again ?? await waitForItem(page, id, Math.max(1, deadline - Date.now()));
  }
  return item;
}

// Moves the mouse onto the item, presses and releases its left button in separate frames (ImGui sees
// hover, then press, then release). Returns the item clicked.
export async function click(page, id, { timeout = ms(15000) } = {}) {
  const item = await settledItem(page, id, timeout);
  const off = await canvasOffset(page);
  const { x, y } = centre(item);
  await page.mouse.move(off.x + x, off.y + y, { steps: 2 });
  await sleep(50);
  await page.mouse.down();
  await sleep(50);
  await page.mouse.up();
  await sleep(50);
  return item;
}

// Opens the combo `id` and clicks its option labelled `label` (an option whose label only starts with it,
// e.g. a customer shown with its code, when none is labelled exactly so). Options are `{id}.{index}`.
export async function choose(page, id, label) {
  await click(page, id);
  const option = (s) => {
    const options = itemsWithPrefix(s, `${id}.`);
    return options.find((it) => it.label === label) ?? options.find((it) => it.label.startsWith(label));
  };
  const snap = await waitForSnapshot(page, (s) => option(s) && s, { what: `${label} offered by ${id}` });
  await click(page, option(snap).id);
}

// Drags item `from` onto item `to` with the mouse, moving in small steps as a hand would (ImGui starts a
// drag only after the pointer moved a few pixels with the button held).
export async function drag(page, from, to, { timeout = ms(15000) } = {}) {
  const a = await waitForItem(page, from, timeout);
  const b = await waitForItem(page, to, timeout);
  const off = await canvasOffset(page);
  const start = centre(a), end = centre(b);
  await page.mouse.move(off.x + start.x, off.y + start.y, { steps: 2 });
  await sleep(50);
  await page.mouse.down();
  await sleep(100);
  await page.mouse.move(off.x + start.x + 10, off.y + start.y + 10, { steps: 4 });
  await sleep(100);
  await page.mouse.move(off.x + end.x, off.y + end.y + 40, { steps: 12 });
  await sleep(150);
  await page.mouse.up();
  await sleep(100);
}

// A finger on a touch screen (the context made with hasTouch), through Chromium's own touch input: the
// page sees touch pointer events, as on a tablet. `cdp` is a CDP session of the page.
async function touchAt(page, id) {
  const item = await settledItem(page, id, ms(15000));
  const off = await canvasOffset(page);
  const { x, y } = centre(item);
  return { x: off.x + x, y: off.y + y };
}

// A tap on the item.
export async function tap(page, cdp, id) {
  const at = await touchAt(page, id);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] });
  await sleep(60);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await sleep(100);
}

// A finger held still on the item for `ms`, then lifted.
export async function longPress(page, cdp, id, ms = 800) {
  const at = await touchAt(page, id);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] });
  await sleep(ms);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await sleep(100);
}

// A finger put on the item and moved by `dy` CSS pixels (negative: up, which scrolls the content down) in
// small steps, then lifted.
export async function swipe(page, cdp, id, dy, steps = 12) {
  const at = await touchAt(page, id);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] });
  for (let i = 1; i <= steps; ++i) {
    await sleep(16);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: at.x, y: at.y + (dy * i) / steps }] });
  }
  await sleep(30);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await sleep(100);
}

// Clicks the input and types `text` key by key. replace: select what is there first (Ctrl+A), so the
// typed text replaces it.
export async function typeInto(page, id, text, { replace = false, delay = 15 } = {}) {
  await click(page, id);
  await sleep(100);
  if (replace) {
    await page.keyboard.press('Control+KeyA');  // key "a", code "KeyA", as a real keyboard sends it
    await sleep(50);
    if (text === '') await page.keyboard.press('Backspace');
  }
  if (text) await page.keyboard.type(text, { delay });
  await sleep(100);
}

// Types `text` through an input method, as a Chinese IME does: the composition changes a few times
// (`steps`, e.g. the pinyin typed so far: ['ke', 'keji']; by default growing prefixes of the text), then
// the chosen text is committed. Needs the client's hidden textarea focused: pass `into` (an input's id)
// to click that input first. `cdp` is a CDP session of the page (context.newCDPSession(page)), or null
// for one opened just for this call.
//
// Beware: while an extra CDP session is attached, a reload of an offline page (context.setOffline(true))
// starts with navigator.onLine === true (Chromium 156) although requests still fail; detach the session
// (cdp.detach()) before such a reload.
export async function imeType(page, cdp, text, { steps, into, stepDelay = 60 } = {}) {
  if (into) {
    await click(page, into);
    await sleep(100);
  }
  const session = cdp ?? await page.context().newCDPSession(page);
  try {
    const chars = Array.from(text);  // code points, so 𠮷 is never split
    const compositions = steps ?? chars.map((_, i) => chars.slice(0, i + 1).join(''));
    for (const composing of compositions) {
      await session.send('Input.imeSetComposition', {
        text: composing,
        selectionStart: composing.length,
        selectionEnd: composing.length,
      });
      await sleep(stepDelay);
    }
    await session.send('Input.insertText', { text });
  } finally {
    if (!cdp) await session.detach().catch(() => {});
  }
  await sleep(150);
}

// Puts `text` on the clipboard (the context needs clipboard permissions for the page's origin).
export async function setClipboard(page, text) {
  await page.bringToFront();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
}

// Clicks the input, then pastes the clipboard with Ctrl+V.
export async function pasteInto(page, id) {
  await click(page, id);
  await sleep(100);
  await page.keyboard.press('Control+V');
  await sleep(150);
}

// Saves a PNG of the page under BUILD/screenshots/ and returns its path.
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file, timeout: ms(30000) });
  return file;
}

// --- flows every test needs ---

// On the login screen: types the user name and password, clicks submit; waits until the client leaves
// the login screen (or shows login.error, which fails). Returns the first snapshot after it.
export async function login(page, username, password) {
  await waitForScreen(page, 'login', ms(30000));
  // On a loaded machine the first keys can reach the page before the click has focused the field: the
  // user name is checked on screen (the password field shows nothing) and the sign-in is tried once more
  // when the client answers that a field was empty.
  for (let attempt = 1; ; ++attempt) {
    // Keys typed before the field took focus are lost, as a person would see: typed once more then.
    for (let typing = 1; ; ++typing) {
      await typeInto(page, 'login.username', username, { replace: true });
      try {
        await waitForSnapshot(page, (s) => findItem(s, 'login.username')?.label === username && s,
          { what: `login.username to read ${username}`, timeout: ms(typing === 1 ? 8000 : 15000) });
        break;
      } catch (e) {
        if (typing >= 2) throw e;
        console.log(`# the user name did not arrive (${e.message.slice(0, 80)}…): typed again`);
      }
    }
    await typeInto(page, 'login.password', password, { replace: true });
    await click(page, 'login.submit');
    try {
      return await waitForSnapshot(page, (snap) => {
        const error = findItem(snap, 'login.error');
        if (snap.screen === 'login' && error) throw new Error(`login failed: ${error.label}`);
        return snap.screen !== 'login' && snap;
      }, { timeout: ms(30000), what: 'the client to leave the login screen' });
    } catch (e) {
      if (attempt >= 2 || !/请输入用户名和密码|Enter your username and password/.test(e.message)) throw e;
    }
  }
}

// Waits for the customer list after sign-in: through "syncing" (seen or too quick to see) to the
// dashboard, the first screen, then opens the customer list from the side bar (a reload that kept the
// customer list skips the dashboard). Returns {snap, screens} with the screens seen on the way.
export async function waitForCustomerList(page, timeout = ms(90000)) {
  const screens = [];
  let snap = await waitForSnapshot(page, (s) => {
    if (screens[screens.length - 1] !== s.screen) screens.push(s.screen);
    return (s.screen === 'dashboard' || s.screen === 'customers') && findItem(s, 'nav.customers') && s;
  }, { timeout, what: 'the dashboard or the customer list after sign-in' });
  if (snap.screen === 'dashboard') await click(page, 'nav.customers');
  snap = await waitForSnapshot(page, (s) => {
    if (screens[screens.length - 1] !== s.screen) screens.push(s.screen);
    return s.screen === 'customers' && findItem(s, 'customers.search') && s;
  }, { timeout, what: 'the customer list (screen "customers" with customers.search)' });
  return { snap, screens };
}

// From the detail or form screen back to the list.
export async function backToList(page) {
  const snap = await snapshot(page);
  if (snap.screen === 'customers') return snap;
  if (snap.screen === 'customers.form') {
    await click(page, 'form.cancel');
    await waitForSnapshot(page, (s) => s.screen !== 'customers.form', { what: 'the form to close' });
  }
  const now = await snapshot(page);
  if (now.screen === 'customers.detail') await click(page, 'record.back');
  return waitForScreen(page, 'customers');
}
