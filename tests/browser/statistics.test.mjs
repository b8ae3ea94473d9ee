// statistics — 统计分析 in the real client: the sales figures the server counted, a bar clicked down to
// the orders behind it, a bad date range named before anything is asked, and the churn warning list with
// its reason and "log an activity" in one click (screenshots stats-sales.png, stats-churn.png).
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, screenshot, typeInto, waitForSnapshot,
} from './lib/index.js';

// The company's days are Asia/Shanghai (the default time zone); the test's dates are taken there too.
const shanghaiDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);

e2e('statistics: sales by month with drill-down to orders, date checks, churn with one-click actions', { timeout: 150000 },
  async ({ api, baseUrl, page }) => {
    const today = shanghaiDay(Date.now());
    const longAgo = shanghaiDay(Date.now() - 120 * 86400e3);
    const [kept, slipping] = await api.seedCustomers([{ name: '成都锦江商贸有限公司' }, { name: '重庆渝中机电有限公司' }]);
    const product = await api.request('POST', '/products', { sku: 'S-1', name: '服务器', price: 1250000, stock: 100 });
    const recent = await api.request('POST', '/orders', { customer_id: kept.id, order_date: today, items: [{ product_id: product.id, quantity: 2 }] });
    await api.request('POST', '/orders', { customer_id: slipping.id, order_date: longAgo, items: [{ product_id: product.id, quantity: 1 }] });

    await openClient(page, baseUrl);
    await login(page, ADMIN_USER, ADMIN_PASSWORD);
    await waitForSnapshot(page, (s) => s.screen === 'dashboard' && s, { what: 'the dashboard', timeout: 60000 });
    await click(page, 'nav.stats');
    const month = today.slice(0, 7);
    const sales = await waitForSnapshot(page, (s) => s.screen === 'stats' && findItem(s, `stats.sales.chart.${month}.0`) && s,
      { what: 'the monthly sales chart', timeout: 20000 });
    // The last 12 months hold both orders; this month's bar only today's.
    assert.equal(findItem(sales, 'stats.sales.amount').label, '销售额: ¥37,500.00');
    assert.equal(findItem(sales, 'stats.sales.orders').label, '订单数: 2');
    assert.equal(findItem(sales, `stats.sales.chart.${month}.0`).label, `${month}: ¥25,000.00`);

    // A bar clicked lists the confirmed orders behind it; one opens its order.
    await click(page, `stats.sales.chart.${month}.0`);
    await waitForSnapshot(page, (s) => findItem(s, `stats.drill.${recent.id}`) && s, { what: 'the orders of the month', timeout: 10000 });
    await screenshot(page, 'stats-sales');
    await click(page, `stats.drill.${recent.id}`);
    await waitForSnapshot(page, (s) => s.screen === 'orders.detail' && s, { what: 'the order opened', timeout: 10000 });

    // By day, and a date that does not exist: named, and the query button stays off.
    await click(page, 'nav.stats');
    await click(page, 'stats.group.day');
    await waitForSnapshot(page, (s) => findItem(s, `stats.sales.chart.${today}.0`) && s, { what: 'the daily chart', timeout: 10000 });
    await typeInto(page, 'stats.from', '2026-02-30');
    const refused = await waitForSnapshot(page, (s) => findItem(s, 'stats.range_error') && s, { what: 'the range error', timeout: 5000 });
    assert.match(findItem(refused, 'stats.range_error').label, /YYYY-MM-DD/);
    assert.equal(findItem(refused, 'stats.apply').disabled, true);

    // Churn: the customer whose orders stopped, with the reason; "记录活动" opens a new activity for it.
    await click(page, 'stats.tab.churn');
    const churn = await waitForSnapshot(page, (s) => findItem(s, `stats.churn.${slipping.id}`) && s, { what: 'the churn list', timeout: 10000 });
    assert.match(findItem(churn, `stats.churn.${slipping.id}.reason`).label, /^订单额下降：¥12,500.00 → ¥0.00$/);
    assert.ok(!findItem(churn, `stats.churn.${kept.id}`), 'a customer who just ordered is not slipping');
    assert.ok(findItem(churn, `stats.churn.${slipping.id}.assign`), 'an admin may assign');
    await screenshot(page, 'stats-churn');
    await click(page, `stats.churn.${slipping.id}.activity`);
    await waitForSnapshot(page, (s) => s.screen === 'activities.form' && findItem(s, 'form.customer_id')?.label === '重庆渝中机电有限公司' && s,
      { what: 'the new activity form for the customer', timeout: 10000 });
  });
