// backup_schedule — 备份计划 on the backups screen: the plan summed up in one line; the dialog that changes
// it refuses a tired user's typing field by field (sending nothing), shows the server's refusal of a
// folder it cannot make under the folder and keeps what was typed; a good plan is saved (the server
// stores it, makes the folder, and the summary and the folder line follow); the write-only key is set,
// kept when left empty, and removed. Screenshots backups-schedule.png and
// backups-schedule-en.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, screenshot, typeInto,
  waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const label = (s, id) => findItem(s, id)?.label ?? null;

e2e('the backup plan is read, checked and changed from the backups screen', { timeout: 120000 }, async ({ api, baseUrl, page, server }) => {
  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.admin.backups');
  await waitForScreen(page, 'admin.backups');

  // The default plan, in words.
  await waitForSnapshot(page, (s) => label(s, 'backups.schedule') ===
    '备份计划：每天 02:00（Asia/Shanghai）完整备份，有改动时每小时增量备份；保留最近 7 天、4 周、12 个月的备份；未加密' && s,
  { what: 'the default plan summed up' });

  // A tired user's typing: each bad field says what is wrong, and nothing is sent.
  await click(page, 'backups.schedule.edit');
  await waitForSnapshot(page, (s) => findItem(s, 'backups_schedule.time')?.label === '02:00' &&
    label(s, 'backups_schedule.hourly')?.endsWith('|true') && findItem(s, 'backups_schedule.key_remove') === null && s,
  { what: 'the dialog with the plan as read' });
  await typeInto(page, 'backups_schedule.time', '25:61', { replace: true });
  await typeInto(page, 'backups_schedule.keep_daily', '0', { replace: true });
  await typeInto(page, 'backups_schedule.keep_weekly', '四', { replace: true });
  await typeInto(page, 'backups_schedule.key', 'short');
  await click(page, 'backups_schedule.confirm');
  await waitForSnapshot(page, (s) => label(s, 'backups_schedule.error.time') === '时间格式为 HH:MM，例如 02:00' &&
    label(s, 'backups_schedule.error.keep_daily') === '保留份数应为 1-366' &&
    label(s, 'backups_schedule.error.keep_weekly') === '保留份数应为 0-520' &&
    label(s, 'backups_schedule.error.key') === '备份密钥应为 12-500 个字符' && s,
  { what: 'every bad field named' });
  let stored = (await api.request('GET', '/admin/settings')).backup;
  assert.equal(stored.time, '02:00', 'nothing was saved');
  assert.equal(stored.key_set, false);

  // A folder the server cannot make: its refusal shows under the folder, and the dialog keeps the typing.
  await typeInto(page, 'backups_schedule.time', '03:30', { replace: true });
  await typeInto(page, 'backups_schedule.keep_daily', '10', { replace: true });
  await typeInto(page, 'backups_schedule.keep_weekly', '5', { replace: true });
  await typeInto(page, 'backups_schedule.keep_monthly', '6', { replace: true });
  await typeInto(page, 'backups_schedule.key', 'our company key 2026', { replace: true });
  await click(page, 'backups_schedule.daily');
  await typeInto(page, 'backups_schedule.folder', '/proc/kehu-nightly');
  await waitForItem(page, 'backups_schedule.folder_note');
  await click(page, 'backups_schedule.confirm');
  await waitForSnapshot(page, (s) => label(s, 'backups_schedule.error.folder') === '无法创建备份文件夹 /proc/kehu-nightly：路径不存在或不允许在此创建' &&
    findItem(s, 'backups_schedule.time')?.label === '03:30' && findItem(s, 'backups_schedule.error.time') === null && s,
  { what: 'the server refusing the folder, shown under it' });
  stored = (await api.request('GET', '/admin/settings')).backup;
  assert.equal(stored.folder, '', 'a refused plan changes nothing');

  // A good plan is saved: the dialog closes, the server has it (and made the folder), the screen follows.
  const nightly = path.join(server.dir, 'nightly backups');
  await typeInto(page, 'backups_schedule.folder', nightly, { replace: true });
  await waitForSnapshot(page, (s) => findItem(s, 'backups_schedule.folder')?.label === nightly &&
    findItem(s, 'backups_schedule.error.folder') === null && s, { what: 'the folder typed again, its old error gone' });
  await screenshot(page, 'backups-schedule');
  await click(page, 'backups_schedule.confirm');
  await waitForSnapshot(page, (s) => findItem(s, 'backups_schedule.confirm') === null &&
    label(s, 'backups.notice') === '备份计划已保存' &&
    label(s, 'backups.schedule') === '备份计划：每天 03:30（Asia/Shanghai）完整备份；保留最近 10 天、5 周、6 个月的备份；已加密' &&
    label(s, 'backups.folder') === `备份文件夹：${nightly}` && s,
  { what: 'the plan saved and summed up again' });
  stored = (await api.request('GET', '/admin/settings')).backup;
  assert.deepEqual(stored, {
    schedule: 'daily', time: '03:30', folder: nightly, keep_daily: 10, keep_weekly: 5, keep_monthly: 6, key_set: true,
  });
  assert.ok(fs.statSync(nightly).isDirectory(), 'the folder is made when the plan is saved');

  // Left empty, the key stays; 不再加密 removes it; off stops the automatic backups.
  await click(page, 'backups.schedule.edit');
  await waitForSnapshot(page, (s) => findItem(s, 'backups_schedule.key')?.label === '' && findItem(s, 'backups_schedule.key_remove') && s,
    { what: 'the dialog saying a key is set' });
  await click(page, 'backups_schedule.confirm');
  await waitForSnapshot(page, (s) => findItem(s, 'backups_schedule.confirm') === null && s, { what: 'saved unchanged' });
  assert.equal((await api.request('GET', '/admin/settings')).backup.key_set, true, 'an empty key field keeps the key');
  // In English, the key removed and the automatic backups turned off.
  await click(page, 'app.lang');
  await waitForSnapshot(page, (s) => label(s, 'backups.schedule') ===
    'Backup plan: a full backup every day at 03:30 (Asia/Shanghai); keeps the last 10 days, 5 weeks and 6 months; encrypted' && s,
  { what: 'the plan in English' });
  await click(page, 'backups.schedule.edit');
  await click(page, 'backups_schedule.key_remove');
  await click(page, 'backups_schedule.off');
  await waitForSnapshot(page, (s) => label(s, 'backups_schedule.off') === 'Off (only backups made by hand)|true' &&
    label(s, 'backups_schedule.key_remove') === 'true' && s, { what: 'the dialog in English' });
  await screenshot(page, 'backups-schedule-en');
  await click(page, 'backups_schedule.confirm');
  await waitForSnapshot(page, (s) => label(s, 'backups.schedule') === 'Backup plan: no automatic backups; only those made by hand' &&
    label(s, 'backups.notice') === 'The backup plan is saved' && s, { what: 'the plan off' });
  stored = (await api.request('GET', '/admin/settings')).backup;
  assert.equal(stored.key_set, false, 'the key removed');
  assert.equal(stored.schedule, 'off');

  // Each change is in the audit log (the save that changed nothing is not), the key never.
  const audit = await api.request('GET', '/audit?entity=settings&limit=50');
  assert.equal(audit.items.filter((a) => a.action === 'settings').length, 2, 'the two changed plans audited');
  assert.ok(!JSON.stringify(audit).includes('our company key 2026'), 'the key is never in the audit log');
});
