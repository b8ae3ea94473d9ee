// backups — 数据备份与恢复: the admin backs up now and sees the new backup listed with its size; downloads
// it (the browser's own download, byte for byte the manifest's file); restores it after a confirmation
// that names the records to be lost (cancel changes nothing); then uploads the downloaded file through
// the file dialog, in pieces with progress, and restores it after a confirmation that says it replaces
// everything. The client's list follows each restore. Screenshots backups.png, backups-restore.png,
// backups-upload.png.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, pollUntil, rows, screenshot,
  waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

e2e('backups made, downloaded, restored and uploaded from the admin screen', { timeout: 240000 }, async ({ api, baseUrl, page }) => {
  await api.createCustomer({ name: '甲公司' });
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.admin.backups');
  await waitForScreen(page, 'admin.backups');
  await waitForItem(page, 'backups.folder');
  const before = (await api.request('GET', '/admin/backups')).items.length;

  // Back up now: the new backup is listed, newest first, with its size and kind.
  await click(page, 'backups.full');
  const made = await pollUntil(async () => {
    const list = await api.request('GET', '/admin/backups');
    return list.items.length > before && list.status.running === null && list.items[0];
  }, { what: 'the backup made on the server', timeoutMs: 30000 });
  assert.equal(made.kind, 'full');
  await waitForSnapshot(page, (s) => findItem(s, `backups.kind.${made.name}`)?.label === '完整' &&
    /^[\d.]+ (KB|MB)$/.test(findItem(s, `backups.size.${made.name}`)?.label ?? '') &&
    findItem(s, 'backups.last')?.label.includes(made.name) && findItem(s, 'backups.notice')?.label === `备份完成：${made.name}` && s,
  { what: 'the new backup listed with its size, and said done' });
  await screenshot(page, 'backups');

  // Downloaded by the browser: exactly the file the manifest describes.
  const [download] = await Promise.all([page.waitForEvent('download'), click(page, `backups.download.${made.name}`)]);
  assert.equal(download.suggestedFilename(), `${made.name}.db`);
  const saved = await download.path();
  assert.equal(fs.statSync(saved).size, made.size);
  assert.equal(sha256(saved), made.sha256, 'the downloaded file is the backup');

  // A record written after the backup: the confirmation says it will be lost; cancelling keeps it.
  await api.createCustomer({ name: '乙公司' });
  await waitForSnapshot(page, (s) => rows(s).length === 0 && s, { what: 'still on the backups screen' });
  await click(page, `backups.restore.${made.name}`);
  const question = await waitForSnapshot(page, (s) => {
    const q = findItem(s, 'backups_restore.question');
    return q && q.label.includes('1 条记录') ? q.label : null;
  }, { what: 'the confirmation naming the loss' });
  assert.match(question, /此后新建或修改的 1 条记录将回到当时的样子：这些改动会丢失/);
  assert.match(question, /先把当前数据完整备份/);
  await screenshot(page, 'backups-restore');
  await click(page, 'backups_restore.cancel');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await api.customersNamed('乙公司')).length, 1, 'cancel restores nothing');

  await click(page, `backups.restore.${made.name}`);
  await waitForSnapshot(page, (s) => findItem(s, 'backups_restore.question')?.label.includes('1 条记录') && s, { what: 'asked again' });
  await click(page, 'backups_restore.confirm');
  await waitForSnapshot(page, (s) => findItem(s, 'backups.notice')?.label.startsWith(`已恢复到备份 ${made.name}`) && s,
    { what: 'the restore reported', timeout: 60000 });
  assert.equal((await api.customersNamed('乙公司')).length, 0, 'the record written after the backup is gone');
  assert.equal((await api.customersNamed('甲公司')).length, 1);
  const kept = (await api.request('GET', '/admin/backups')).items.find((b) => b.note === `before restoring ${made.name}`);
  assert.ok(kept, 'the data as it was is kept as a backup');
  await waitForSnapshot(page, (s) => findItem(s, `backups.note.${kept.name}`)?.label === `恢复 ${made.name} 之前的数据` && s,
    { what: 'the kept backup listed with why it was made' });

  // The client's own list follows the restore.
  await click(page, 'nav.customers');
  await waitForSnapshot(page, (s) => rows(s).length === 1 && rows(s)[0].label.includes('甲公司') && s,
    { what: 'the customer list as restored', timeout: 30000 });

  // Upload the downloaded file through the file dialog, after another record was written.
  await api.createCustomer({ name: '丙公司' });
  await click(page, 'nav.admin.backups');
  await waitForItem(page, 'backups.upload');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'backups.upload')]);
  await chooser.setFiles({ name: '公司备份.db', mimeType: 'application/octet-stream', buffer: fs.readFileSync(saved) });
  const uploadQuestion = await waitForSnapshot(page, (s) => {
    const q = findItem(s, 'backups_restore.question');
    return q && q.label.includes('上传的备份') ? q.label : null;
  }, { what: 'the confirmation for the uploaded file', timeout: 60000 });
  assert.match(uploadQuestion, /当前的 2 条记录将被它的 1 条记录整体取代/);
  const uploaded = (await api.request('GET', '/admin/backups')).items.find((b) => b.uploaded_from === '公司备份.db');
  assert.ok(uploaded, 'the upload kept as a backup under its file name');
  await waitForSnapshot(page, (s) => findItem(s, 'backups.notice')?.label.includes('已上传并检查无误') && s, { what: 'the upload reported' });
  await screenshot(page, 'backups-upload');
  await click(page, 'backups_restore.confirm');
  await waitForSnapshot(page, (s) => findItem(s, 'backups.notice')?.label.startsWith(`已恢复到备份 ${uploaded.name}`) && s,
    { what: 'the uploaded backup restored', timeout: 60000 });
  assert.equal((await api.customersNamed('丙公司')).length, 0);
  assert.equal((await api.customersNamed('甲公司')).length, 1);
  await waitForSnapshot(page, (s) => findItem(s, `backups.kind.${uploaded.name}`)?.label === '上传' &&
    findItem(s, `backups.note.${uploaded.name}`)?.label === '上传的文件 公司备份.db' && s, { what: 'the upload listed' });

  // What was done is in the audit log.
  const audit = await api.request('GET', '/audit?entity=backups&limit=50');
  const actions = audit.items.map((a) => a.action);
  for (const action of ['backup', 'download', 'restore', 'upload']) assert.ok(actions.includes(action), `${action} audited`);
});
