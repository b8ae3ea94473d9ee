// calendar — activities on a month and a week (日历), in the browser's time zone (Asia/Shanghai): an
// activity is placed on its local day (00:30 local is the day before in UTC), a task by its due time; a
// busy day shows "+N more", which opens its week with every activity counted; the previous month shows
// its own activities; a click opens the activity; "+" on a day starts a new one at 09:00 local, which is
// stored as UTC and shows on the calendar at once. Times in the form read and are typed in local time.
// Screenshots calendar-month.png and calendar-week.png under BUILD/screenshots/.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, centre, click, e2e, findItem, itemsWithPrefix, login, openClient, screenshot, serverRecords,
  typeInto, waitForCustomerList, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const SHANGHAI_MS = 8 * 3600e3;
// The local (UTC+8) date of an instant, and the UTC instant of a local date and time.
const localDate = (ms) => new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10);
const atLocal = (date, time) => new Date(Date.parse(`${date}T${time}:00Z`) - SHANGHAI_MS).toISOString();
const shiftDate = (date, days) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400e3).toISOString().slice(0, 10);

e2e('the activity calendar: month, week, local days, new on a day', { timeout: 180000 }, async ({ api, baseUrl, page }) => {
  const today = localDate(Date.now());
  const [customer] = await api.seedCustomers([{ name: '南京金陵电子' }]);
  const post = (body) => api.request('POST', '/activities', { customer_id: customer.id, ...body });
  const morning = await post({ type: 'visit', subject: '上门拜访金陵电子', start_at: atLocal(today, '10:00') });
  const early = await post({ type: 'call', subject: '凌晨电话', start_at: atLocal(today, '00:30') });
  const task = await post({ type: 'task', subject: '提交报价单', due_at: atLocal(today, '18:00') });
  for (let i = 0; i < 9; ++i) await post({ type: 'note', subject: `记事 ${i + 1}`, start_at: atLocal(today, `1${i}:15`) });
  const [y, m] = today.split('-').map(Number);
  const lastMonth = `${m === 1 ? y - 1 : y}-${String(m === 1 ? 12 : m - 1).padStart(2, '0')}-15`;
  const older = await post({ type: 'meeting', subject: '上月例会', start_at: atLocal(lastMonth, '14:00') });
  assert.ok(early.start_at.startsWith(shiftDate(today, -1)), 'the early call is on the day before in UTC');

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.activities');
  await click(page, 'activities.view.calendar');
  const month = await waitForSnapshot(page, (s) => findItem(s, `calendar.day.${today}`) && findItem(s, `calendar.more.${today}`) && s,
    { what: "the month with today's busy cell", timeout: 30000 });
  await screenshot(page, 'calendar-month.png');
  // Today's cell: between the day's number and its "+" (the cell's right edge).
  const day = findItem(month, `calendar.day.${today}`), plus = findItem(month, `calendar.new.${today}`);
  const inToday = (item) => item && centre(item).x > day.x && centre(item).x < plus.x + plus.w && centre(item).y > day.y;
  const columns = new Set(itemsWithPrefix(month, 'calendar.new.').map((it) => Math.round(it.x)));
  assert.equal(columns.size, 7, 'every weekday\'s cells have their "+"');
  // Weeks start on Monday: this week's Monday is in the leftmost column, its Sunday in the rightmost.
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;  // Monday 0
  const dayXs = itemsWithPrefix(month, 'calendar.day.').map((it) => it.x);
  assert.equal(findItem(month, `calendar.day.${shiftDate(today, -weekday)}`).x, Math.min(...dayXs), 'Monday first');
  assert.equal(findItem(month, `calendar.day.${shiftDate(today, 6 - weekday)}`).x, Math.max(...dayXs), 'Sunday last');
  const shown = itemsWithPrefix(month, 'calendar.item.');
  assert.ok(shown.length >= 1, 'some of today\'s activities fit the cell');
  for (const item of shown) assert.ok(inToday(item) || !item.label.includes('记事'), `${item.label} is in today's cell`);
  const more = findItem(month, `calendar.more.${today}`);
  console.log(`# today's cell: ${shown.map((i) => i.label).join(' | ')} … ${more.label}`);
  assert.ok(/还有 \d+ 项/.test(more.label), more.label);
  assert.equal(shown.filter(inToday).length + Number(more.label.match(/\d+/)[0]), 12, 'twelve activities today');
  assert.equal(findItem(month, `calendar.item.${older.id}`), null, "last month's meeting is not in this month");
  // The first shown is the earliest: 00:30 local, though its UTC date is yesterday.
  assert.ok(findItem(month, `calendar.item.${early.id}`)?.label.startsWith('00:30 '), 'the early call first, at 00:30');

  // "+N more" opens the week: every activity of today, with its time and type.
  await click(page, `calendar.more.${today}`);
  const week = await waitForSnapshot(page, (s) => findItem(s, `calendar.count.${today}`) && s, { what: 'the week' });
  assert.equal(findItem(week, `calendar.count.${today}`).label, '12 项');
  assert.ok(findItem(week, `calendar.item.${task.id}`)?.label.startsWith('18:00 任务 · 提交报价单'), 'the task at its due time');
  assert.ok(findItem(week, `calendar.item.${morning.id}`)?.label.startsWith('10:00 拜访 · '), findItem(week, `calendar.item.${morning.id}`)?.label);
  await screenshot(page, 'calendar-week.png');

  // Last month, then back to today.
  await click(page, 'calendar.month');
  await click(page, 'calendar.prev');
  await waitForSnapshot(page, (s) => findItem(s, `calendar.item.${older.id}`)?.label.startsWith('14:00 ') && s, { what: "last month's meeting" });
  await click(page, 'calendar.today');
  await waitForSnapshot(page, (s) => findItem(s, `calendar.day.${today}`) && !findItem(s, `calendar.item.${older.id}`) && s, { what: 'this month again' });

  // A click opens the activity; its form reads the time in local time.
  await click(page, `calendar.item.${early.id}`);
  await waitForScreen(page, 'activities.detail');
  await click(page, 'record.edit');
  await waitForScreen(page, 'activities.form');
  await waitForSnapshot(page, (s) => findItem(s, 'form.start_at')?.label === `${today} 00:30` && s, { what: 'the start time in local time' });
  await click(page, 'form.cancel');
  await waitForScreen(page, 'activities.detail');
  await click(page, 'record.back');
  await waitForScreen(page, 'activities');

  // "+" on today: a new activity at 09:00 local, stored as 01:00 UTC, on the calendar at once.
  await click(page, `calendar.new.${today}`);
  await waitForScreen(page, 'activities.form');
  await waitForSnapshot(page, (s) => findItem(s, 'form.start_at')?.label === `${today} 09:00` && s, { what: 'the preset start time' });
  await click(page, 'form.type');
  await click(page, 'form.type.2');  // meeting
  await typeInto(page, 'form.subject', '新建的日程');
  await typeInto(page, 'form.end_at', `${today} 10:30`, { replace: true });
  await click(page, 'form.save');
  await waitForScreen(page, 'activities.detail', 20000);
  const [made] = (await serverRecords(api, '/activities?q=新建的日程', 'the new activity on the server'));
  assert.equal(Date.parse(made.start_at), Date.parse(atLocal(today, '09:00')), `start ${made.start_at}`);
  assert.equal(Date.parse(made.end_at), Date.parse(atLocal(today, '10:30')), `end ${made.end_at}`);
  assert.equal(made.type, 'meeting');
  await click(page, 'record.back');
  await click(page, `calendar.more.${today}`);
  await waitForSnapshot(page, (s) => findItem(s, `calendar.count.${today}`)?.label === '13 项' &&
    findItem(s, `calendar.item.${made.id}`)?.label.startsWith('09:00 会议 · 新建的日程') && s, { what: 'the new activity in the week' });

  // A time that is not one is named at the field; nothing is sent.
  await click(page, `calendar.new.${today}`);
  await waitForScreen(page, 'activities.form');
  await click(page, 'form.type');
  await click(page, 'form.type.0');
  await typeInto(page, 'form.subject', '坏时间');
  await typeInto(page, 'form.start_at', '明天上午', { replace: true });
  await click(page, 'form.save');
  const refused = await waitForSnapshot(page, (s) => findItem(s, 'form.error.start_at') && s, { what: 'the bad time named' });
  console.log(`# bad time: ${findItem(refused, 'form.error.start_at').label}`);
  assert.equal(refused.pending, 0, 'nothing queued');
  assert.equal((await api.request('GET', '/activities?q=坏时间')).items.length, 0, 'nothing was sent');
});
