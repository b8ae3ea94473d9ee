// paste — text put on the system clipboard is pasted with Ctrl+V into a form field (form.notes), shows
// there, and is what the server stores after saving; Ctrl+C copies a field's text to the system clipboard.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, pasteInto, pollUntil, setClipboard,
  typeInto, waitForCustomerList, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const NAME = 'Paste Test Co';
const NOTES = '粘贴测试：北京市朝阳区建国路 88 号 Room 101';

e2e('Ctrl+V pastes the clipboard into form.notes', async ({ api, baseUrl, page }) => {
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);

  await click(page, 'customers.new');
  await waitForScreen(page, 'customers.form');
  await typeInto(page, 'form.name', NAME);
  await setClipboard(page, NOTES);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), NOTES);
  await pasteInto(page, 'form.notes');
  // The field shows exactly the pasted text, once (no character typed twice, none dropped).
  await waitForSnapshot(page, (s) => findItem(s, 'form.notes')?.label === NOTES && s,
    { what: 'form.notes to show the pasted text', timeout: 5000 });
  // And the other way: Ctrl+A, Ctrl+C in form.name puts the name on the system clipboard.
  await click(page, 'form.name');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  await pollUntil(async () => (await page.evaluate(() => navigator.clipboard.readText())) === NAME,
    { timeoutMs: 5000, what: 'Ctrl+C to put form.name on the system clipboard' });

  await click(page, 'form.save');
  await waitForSnapshot(page, (s) => s.screen !== 'customers.form' && s, { what: 'the form to close after form.save' });
  const [saved] = await pollUntil(async () => {
    const named = await api.customersNamed(NAME);
    return named.length > 0 && named;
  }, { timeoutMs: 10000, what: `customer ${NAME} on the server` });
  assert.equal(saved.notes, NOTES);
});
