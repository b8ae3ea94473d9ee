// help — the help button opens the user manual (docs/manual, served beside the client) in a new tab, in
// the interface's language: every picture in it loads, and after the switch to English the English
// manual opens. The manual's pages name no picture that is not there.
import assert from 'node:assert/strict';

import { ADMIN_PASSWORD, ADMIN_USER, click, e2e, login, openClient, waitForCustomerList, waitForSnapshot } from './lib/index.js';

async function openManual(context, page) {
  const [tab] = await Promise.all([context.waitForEvent('page'), click(page, 'app.help')]);
  await tab.waitForLoadState('load');
  const seen = await tab.evaluate(() => ({
    path: window.location.pathname,
    heading: document.querySelector('h1')?.textContent ?? '',
    images: [...document.images].map((img) => ({ src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0 })),
  }));
  await tab.close();
  return seen;
}

e2e('the help button opens the manual in the interface language', { timeout: 120000 }, async ({ baseUrl, context, page }) => {
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);

  const zh = await openManual(context, page);
  assert.equal(zh.path, '/manual/zh-CN.html');
  assert.match(zh.heading, /使用手册/);
  assert.ok(zh.images.length >= 20, `the manual shows the screens (${zh.images.length} pictures)`);
  const broken = zh.images.filter((i) => !i.ok).map((i) => i.src);
  assert.deepEqual(broken, [], 'every picture loads');
  console.log(`# 中文手册: ${zh.images.length} pictures`);

  await click(page, 'app.lang');
  await waitForSnapshot(page, (s) => s.lang === 'en' && s, { what: 'the English interface' });
  const en = await openManual(context, page);
  assert.equal(en.path, '/manual/en.html');
  assert.equal(en.heading, 'Kehu CRM user manual');
  assert.deepEqual(en.images.filter((i) => !i.ok).map((i) => i.src), [], 'every picture loads');
});
