// settings_admin — 系统设置: the admin adds a customer source (微信), retires another (展会), defines a custom
// field (规模, a choice) and takes 市场活动 off the sales menu. A bad key is refused at its row by core's own
// rules and nothing reaches the server; once fixed, the settings are saved. Through the sync, the customer
// form grows the custom field and offers the new source but not the retired one, the record saved carries
// both, its page shows them, the list filters by the new source and still by the retired one (old records
// keep it), and a sales rep's side bar follows the menu. Screenshots settings-options.png,
// settings-custom.png, settings-menus.png, customer-form-custom.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, choose, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil,
  screenshot, serverRecords, typeInto, waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

e2e('option lists, custom fields and menus reach every form, list and side bar', { timeout: 240000 }, async ({ api, baseUrl, browser, page }) => {
  const old = await api.request('POST', '/customers', { name: '老展会客户有限公司', source: 'exhibition' });
  const password = 'Sales-pw-2026';
  await api.request('POST', '/users', { username: 'zhouqiang', display_name: '周强', role: 'sales', password });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.admin.settings');
  await waitForScreen(page, 'admin.settings');
  await waitForItem(page, 'settings.list');

  // Option list: 客户来源 gets 微信; 展会 is retired.
  await choose(page, 'settings.list', '客户 · 客户来源');
  let snap = await waitForSnapshot(page, (s) => findItem(s, 'settings.option.0.value')?.label === 'referral' && s, { what: 'the source options' });
  const rows = itemsWithPrefix(snap, 'settings.option.').filter((it) => /^settings\.option\.\d+\.value$/.test(it.id));
  const exhibition = rows.find((it) => it.label === 'exhibition').id.split('.')[2];
  // Moving an option down and back up is no change: nothing to save or undo.
  assert.equal(findItem(snap, 'settings.save').disabled, true, 'nothing to save before an edit');
  await click(page, 'settings.option.0.down');
  await waitForSnapshot(page, (s) => findItem(s, 'settings.option.1.value')?.label === 'referral' && !findItem(s, 'settings.save').disabled && s,
    { what: 'referral moved down, something to save' });
  await click(page, 'settings.option.1.up');
  await waitForSnapshot(page, (s) => findItem(s, 'settings.option.0.value')?.label === 'referral' && findItem(s, 'settings.save').disabled &&
    findItem(s, 'settings.undo').disabled && s, { what: 'back as it was: nothing to save' });
  await click(page, `settings.option.${exhibition}.retired`);
  await waitForSnapshot(page, (s) => findItem(s, `settings.option.${exhibition}.retired`)?.label === 'true' && s, { what: '展会 retired' });
  await click(page, 'settings.option.add');
  const added = rows.length;
  await waitForItem(page, `settings.option.${added}.value`);
  await typeInto(page, `settings.option.${added}.value`, 'wechat');
  await typeInto(page, `settings.option.${added}.zh`, '微信');
  await typeInto(page, `settings.option.${added}.en`, 'WeChat');
  await screenshot(page, 'settings-options.png');

  // Custom field: a bad key is named at its row and nothing is sent.
  await click(page, 'settings.section.custom');
  await click(page, 'settings.custom.add');
  await typeInto(page, 'settings.custom.0.key', 'Scale');
  await typeInto(page, 'settings.custom.0.zh', '规模');
  await typeInto(page, 'settings.custom.0.en', 'Scale');
  await choose(page, 'settings.custom.0.type', '下拉选项');
  await typeInto(page, 'settings.custom.0.options', '小型，中型, 大型');
  await click(page, 'settings.save');
  const refused = await waitForItem(page, 'settings.custom.0.error');
  assert.match(refused.label, /键名以小写字母开头/);
  await new Promise((r) => setTimeout(r, 500));
  const unchanged = await api.request('GET', '/admin/settings');
  assert.deepEqual(unchanged.custom_fields, {}, 'nothing saved while a row is wrong');
  assert.deepEqual(unchanged.option_lists, {});
  await typeInto(page, 'settings.custom.0.key', 'scale', { replace: true });
  await waitForSnapshot(page, (s) => !findItem(s, 'settings.custom.0.error') && !findItem(s, 'settings.error') && s,
    { what: 'the mark gone once the key is fixed' });
  await screenshot(page, 'settings-custom.png');

  // Menus: sales reps no longer see 市场活动.
  await click(page, 'settings.section.menus');
  snap = await waitForSnapshot(page, (s) => findItem(s, 'settings.menu.sales.campaigns') && s, { what: 'the menu grid' });
  assert.equal(findItem(snap, 'settings.menu.sales.campaigns').label, 'true');
  assert.equal(findItem(snap, 'settings.menu.sales.default').label, 'true');
  await click(page, 'settings.menu.sales.campaigns');
  await waitForSnapshot(page, (s) => findItem(s, 'settings.menu.sales.campaigns')?.label === 'false' &&
    findItem(s, 'settings.menu.sales.default')?.label === 'false' && s, { what: 'campaigns unticked for sales' });
  await screenshot(page, 'settings-menus.png');

  await click(page, 'settings.save');
  await waitForItem(page, 'settings.notice');
  const saved = await pollUntil(async () => {
    const s = await api.request('GET', '/admin/settings');
    return s.custom_fields?.customers?.length === 1 && s;
  }, { what: 'the settings saved on the server' });
  assert.deepEqual(saved.custom_fields.customers[0],
    { key: 'scale', zh: '规模', en: 'Scale', type: 'option', options: ['小型', '中型', '大型'] });
  const sources = saved.option_lists['customers.source'];
  assert.deepEqual(sources.find((o) => o.value === 'wechat'), { value: 'wechat', zh: '微信', en: 'WeChat' });
  assert.equal(sources.find((o) => o.value === 'exhibition').retired, true);
  assert.ok(!saved.menus.sales.includes('campaigns') && saved.menus.sales.includes('customers'), JSON.stringify(saved.menus));

  // The customer form grows 规模 and offers 微信, not the retired 展会.
  await click(page, 'nav.customers');
  await waitForScreen(page, 'customers');
  await click(page, 'customers.new');
  await waitForScreen(page, 'customers.form');
  snap = await waitForItem(page, 'form.custom.scale').then(() => waitForSnapshot(page, (s) => findItem(s, 'form.label.custom.scale') && s));
  assert.equal(findItem(snap, 'form.label.custom.scale').label, '规模');
  await click(page, 'form.source');
  snap = await waitForSnapshot(page, (s) => itemsWithPrefix(s, 'form.source.').length > 1 && s, { what: 'the source choices' });
  const offered = itemsWithPrefix(snap, 'form.source.').map((it) => it.label);
  assert.ok(offered.includes('微信'), offered.join());
  assert.ok(!offered.some((l) => l.startsWith('展会')), `retired 展会 not offered on a new record: ${offered}`);
  await click(page, itemsWithPrefix(snap, 'form.source.').find((it) => it.label === '微信').id);
  await waitForSnapshot(page, (s) => findItem(s, 'form.source')?.label === '微信' && s, { what: '微信 chosen' });
  await typeInto(page, 'form.name', '微信来的客户有限公司');
  await choose(page, 'form.custom.scale', '中型');
  await screenshot(page, 'customer-form-custom.png');
  await click(page, 'form.save');
  const [created] = await serverRecords(api, `/customers?q=${encodeURIComponent('微信来的客户')}`);
  assert.equal(created.source, 'wechat');
  assert.deepEqual(created.custom, { scale: '中型' });
  snap = await waitForSnapshot(page, (s) => s.screen === 'customers.detail' && findItem(s, 'record.field.custom.scale') && s, { what: "the new customer's page" });
  assert.equal(findItem(snap, 'record.label.custom.scale').label, '规模');
  assert.equal(findItem(snap, 'record.field.custom.scale').label, '中型');
  assert.equal(findItem(snap, 'record.field.source').label, '微信');

  // The list filters by the new source, and still by the retired one.
  await click(page, 'nav.customers');
  await waitForScreen(page, 'customers');
  await choose(page, 'customers.filter.source', '微信');
  snap = await waitForSnapshot(page, (s) => findItem(s, 'customers.count')?.label === '共 1 条' && s, { what: 'one customer from 微信' });
  assert.ok(findItem(snap, `customers.row.${created.id}`));
  await choose(page, 'customers.filter.source', '展会');
  snap = await waitForSnapshot(page, (s) => findItem(s, 'customers.count')?.label === '共 1 条' && findItem(s, `customers.row.${old.id}`) && s,
    { what: 'the old 展会 customer' });

  // A sales rep's side bar follows the menu.
  const rep = await browser.newContext();
  await openClient(rep.page, baseUrl);
  await login(rep.page, 'zhouqiang', password);
  await waitForCustomerList(rep.page);
  const side = await waitForSnapshot(rep.page, (s) => findItem(s, 'nav.customers') && s, { what: "the rep's side bar" });
  assert.ok(findItem(side, 'nav.contacts'), 'the rest of the menu stays');
  assert.equal(findItem(side, 'nav.campaigns'), null, 'campaigns are off the sales menu');
});
