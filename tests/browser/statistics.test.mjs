// statistics — 统计分析 in the real client: the sales figures the server counted, their change against the
// range before, a bar clicked down to the orders behind it, a team's bar down to its members' orders, a
// funnel stage and a forecast month down to their opportunities, a level's slice and a month's new
// customers down to those customers, a bad date range named before anything is asked, and the churn
// warning list with its reason and "log an activity" in one click (screenshots stats-sales.png,
// stats-teams.png, stats-range.png, stats-pipeline.png, stats-churn.png).
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, click, e2e, findItem, login, openClient, screenshot, typeInto, waitForSnapshot,
} from './lib/index.js';

// The company's days are Asia/Shanghai (the default time zone); the test's dates are taken there too.
const shanghaiDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);

e2e('statistics: sales by month with drill-down to orders, change against the range before, drill-down from the other charts, date checks, churn with one-click actions', { timeout: 180000 },
  async ({ api, baseUrl, page }) => {
    const today = shanghaiDay(Date.now());
    const longAgo = shanghaiDay(Date.now() - 120 * 86400e3);
    const fortnightAgo = shanghaiDay(Date.now() - 15 * 86400e3);
    const [kept, slipping] = await api.seedCustomers([{ name: '成都锦江商贸有限公司', level: 'A' }, { name: '重庆渝中机电有限公司', level: 'B' }]);
    const product = await api.request('POST', '/products', { sku: 'S-1', name: '服务器', price: 1250000, stock: 100 });
    const recent = await api.request('POST', '/orders', { customer_id: kept.id, order_date: today, items: [{ product_id: product.id, quantity: 2 }] });
    await api.request('POST', '/orders', { customer_id: kept.id, order_date: fortnightAgo, items: [{ product_id: product.id, quantity: 1 }] });
    await api.request('POST', '/orders', { customer_id: slipping.id, order_date: longAgo, items: [{ product_id: product.id, quantity: 1 }] });
    // A rep of 华东销售部 sold once, 200 days ago: in the last 12 months, outside every shorter range below.
    const team = await api.request('POST', '/teams', { name: '华东销售部' });
    const rep = await api.request('POST', '/users', { username: 'zhaolei', display_name: '赵磊', role: 'sales', password: 'rep-password-1', team_id: team.id });
    const teamOrder = await api.request('POST', '/orders', {
      customer_id: kept.id, owner_id: rep.id, order_date: shanghaiDay(Date.now() - 200 * 86400e3), items: [{ product_id: product.id, quantity: 1 }],
    });
    const month = today.slice(0, 7);
    const deal = await api.request('POST', '/opportunities', {
      customer_id: kept.id, title: '机房扩容', stage: 'proposal', amount: 8000000, probability: 50, expected_close_date: `${month}-28`,
    });

    await openClient(page, baseUrl);
    await login(page, ADMIN_USER, ADMIN_PASSWORD);
    await waitForSnapshot(page, (s) => s.screen === 'dashboard' && s, { what: 'the dashboard', timeout: 60000 });
    await click(page, 'nav.stats');
    const sales = await waitForSnapshot(page, (s) => s.screen === 'stats' && findItem(s, `stats.sales.chart.${month}.0`) && s,
      { what: 'the monthly sales chart', timeout: 20000 });
    // The last 12 months hold all four orders; this month's bar only today's (and the fortnight's when
    // it fell in this month too). The 12 months before sold nothing: no change is claimed against zero.
    assert.equal(findItem(sales, 'stats.sales.amount').label, '销售额: ¥62,500.00');
    assert.equal(findItem(sales, 'stats.sales.orders').label, '订单数: 4');
    const thisMonth = fortnightAgo.startsWith(month) ? '¥37,500.00' : '¥25,000.00';
    assert.equal(findItem(sales, `stats.sales.chart.${month}.0`).label, `${month}: ${thisMonth}`);
    const settled = await waitForSnapshot(page, (s) => /对比/.test(findItem(s, 'stats.sales.range')?.label ?? '') && findItem(s, 'stats.sales.teams') && s,
      { what: "the range before and the teams' sales read", timeout: 10000 });
    assert.ok(!findItem(settled, 'stats.sales.amount.change'), 'no change against a range that sold nothing');

    // A bar clicked lists the confirmed orders behind it; one opens its order.
    await click(page, `stats.sales.chart.${month}.0`);
    await waitForSnapshot(page, (s) => findItem(s, `stats.drill.${recent.id}`) && s, { what: 'the orders of the month', timeout: 10000 });
    await screenshot(page, 'stats-sales');
    await click(page, `stats.drill.${recent.id}`);
    await waitForSnapshot(page, (s) => s.screen === 'orders.detail' && s, { what: 'the order opened', timeout: 10000 });

    // The teams' sales over the same months; a team's bar lists its members' orders, not the others'.
    await click(page, 'nav.stats');
    const teams = await waitForSnapshot(page, (s) => findItem(s, 'stats.sales.teams.华东销售部.0') && s, { what: 'the teams chart', timeout: 10000 });
    assert.equal(findItem(teams, 'stats.sales.teams.华东销售部.0').label, '华东销售部: ¥12,500.00');
    assert.equal(findItem(teams, 'stats.sales.teams.未分部门.0').label, '未分部门: ¥50,000.00');
    await click(page, 'stats.sales.teams.华东销售部.0');
    const teamDrill = await waitForSnapshot(page, (s) => findItem(s, `stats.drill.${teamOrder.id}`) && s, { what: "the team's orders", timeout: 10000 });
    assert.match(findItem(teamDrill, 'stats.drill.title').label, /^华东销售部 \d{4}-\d{2}-01 至 \d{4}-\d{2}-\d{2} 的已确认订单$/);
    assert.ok(!findItem(teamDrill, `stats.drill.${recent.id}`), "an order of no team's rep is not in the team's list");
    await screenshot(page, 'stats-teams');

    // By day over the last ten days against the ten before: today's two servers against the fortnight's one.
    await click(page, 'nav.stats');
    await click(page, 'stats.group.day');
    await waitForSnapshot(page, (s) => findItem(s, `stats.sales.chart.${today}.0`) && s, { what: 'the daily chart', timeout: 10000 });
    const tenDaysAgo = shanghaiDay(Date.now() - 9 * 86400e3);
    await typeInto(page, 'stats.from', tenDaysAgo);
    await typeInto(page, 'stats.to', today);
    await click(page, 'stats.apply');
    const ranged = await waitForSnapshot(page, (s) => findItem(s, 'stats.sales.amount.change') && s, { what: 'the change against the ten days before', timeout: 10000 });
    assert.equal(findItem(ranged, 'stats.sales.amount').label, '销售额: ¥25,000.00');
    assert.equal(findItem(ranged, 'stats.sales.amount.change').label, '▲ 100%');
    assert.equal(findItem(ranged, 'stats.sales.quantity.change').label, '▲ 100%');
    assert.equal(findItem(ranged, 'stats.sales.orders.change').label, '▲ 0%');
    const before = shanghaiDay(Date.now() - 19 * 86400e3);
    assert.match(findItem(ranged, 'stats.sales.range').label, new RegExp(`对比 ${before} — ${shanghaiDay(Date.now() - 10 * 86400e3)}: ¥12,500.00`));
    await screenshot(page, 'stats-range');

    // A funnel stage lists the opportunities at that stage; a forecast month those expected then.
    await click(page, 'stats.tab.pipeline');
    await click(page, 'dash.pipeline.funnel.方案报价');
    const staged = await waitForSnapshot(page, (s) => findItem(s, `stats.drill.${deal.id}`) && s, { what: 'the opportunities at the stage', timeout: 10000 });
    // Those the funnel counts: created in its range (the last 12 months).
    assert.match(findItem(staged, 'stats.drill.title').label, /^阶段为「方案报价」的商机（\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2} 新建）$/);
    assert.equal(findItem(staged, `stats.drill.${deal.id}`).label, '机房扩容');
    await click(page, `dash.pipeline.forecast.${month}.0`);
    const expected = await waitForSnapshot(page, (s) => /预计成交/.test(findItem(s, 'stats.drill.title')?.label ?? '') && s,
      { what: 'the opportunities expected this month', timeout: 10000 });
    assert.equal(findItem(expected, 'stats.drill.title').label, `${month} 预计成交的进行中商机`);
    assert.ok(findItem(expected, `stats.drill.${deal.id}`), 'the open opportunity expected this month is listed');
    await screenshot(page, 'stats-pipeline');
    await click(page, `stats.drill.${deal.id}`);
    await waitForSnapshot(page, (s) => s.screen === 'opportunities.detail' && s, { what: 'the opportunity opened', timeout: 10000 });

    // A level's slice lists that level's customers, not the others.
    await click(page, 'nav.stats');
    await click(page, 'stats.tab.customers');
    await waitForSnapshot(page, (s) => findItem(s, 'dash.customers.level.A 重要客户') && s, { what: 'the customers by level', timeout: 10000 });
    await click(page, 'dash.customers.level.A 重要客户');
    const levelled = await waitForSnapshot(page, (s) => findItem(s, `stats.drill.${kept.id}`) && s, { what: 'the level A customers', timeout: 10000 });
    assert.ok(!findItem(levelled, `stats.drill.${slipping.id}`), 'a level B customer is not in the level A list');
    // A month's bar lists the customers new that month: both, made today. The cache compares creation
    // by UTC day, so in the first eight hours of a Shanghai month (still the last month in UTC) they fall
    // in the month before: the check waits for a day whose month is the same in both.
    await click(page, 'stats.tab.contracts');
    await click(page, 'stats.tab.customers');
    await waitForSnapshot(page, (s) => !findItem(s, 'stats.drill.title') && findItem(s, `dash.customers.monthly.${month}.0`) && s,
      { what: 'the customers dashboard without a list', timeout: 10000 });
    if (new Date().toISOString().slice(0, 7) === month) {
      await click(page, `dash.customers.monthly.${month}.0`);
      const fresh = await waitForSnapshot(page, (s) => findItem(s, `stats.drill.${kept.id}`) && findItem(s, `stats.drill.${slipping.id}`) && s,
        { what: "the month's new customers", timeout: 10000 });
      assert.equal(findItem(fresh, 'stats.drill.title').label, `${month} 新增的客户`);
    }

    // A date that does not exist: named, and the query button stays off.
    await click(page, 'stats.tab.sales');
    await typeInto(page, 'stats.from', '2026-02-30', { replace: true });
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
