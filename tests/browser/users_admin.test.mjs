// users_admin — 用户管理: a person registers (POST /auth/register) and cannot sign in until the admin approves
// them; the admin finds the registration on the users screen, picks the role (approve stays greyed until a
// role is chosen), approves, and the person signs in with that role; the admin disables an account, which
// then cannot sign in, and enables it again; offline the screen says it needs the network. The screen is
// an address of its own (#/admin/users) that survives a reload. Screenshot users-admin.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, Api, click, e2e, findItem, login, openClient, pollUntil, reloadClient, screenshot,
  waitForCustomerList, waitForScreen, waitForSnapshot,
} from './lib/index.js';

const signInStatus = async (baseUrl, username, password) => {
  try {
    await new Api(baseUrl).login(username, password);
    return 200;
  } catch (e) {
    return e.status;
  }
};

e2e('registrations approved with a role; accounts disabled and enabled', { timeout: 150000 }, async ({ api, baseUrl, context, page }) => {
  const password = 'Register-pw-2026';
  const { user: applicant } = await new Api(baseUrl).request('POST', '/auth/register',
    { username: 'liwei', display_name: '李伟', email: 'liwei@example.com', password });
  assert.equal(applicant.active, false);
  assert.notEqual(await signInStatus(baseUrl, 'liwei', password), 200, 'not before approval');

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.admin.users');
  await waitForScreen(page, 'admin.users');
  const listed = await waitForSnapshot(page, (s) => findItem(s, `users.pending.${applicant.id}`) && s, { what: 'the registration listed' });
  assert.match(findItem(listed, `users.pending.${applicant.id}`).label, /李伟（liwei）/);
  assert.equal(findItem(listed, `users.state.${applicant.id}`).label, '待审批');

  // Approve is refused until a role is chosen; then the account is active with that role.
  await click(page, `users.approve.${applicant.id}`);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await api.request('GET', `/users/${applicant.id}`)).active, false, 'nothing sent without a role');
  await click(page, `users.role.${applicant.id}`);
  await click(page, `users.role.${applicant.id}.2`);  // sales
  await screenshot(page, 'users-admin.png');
  await click(page, `users.approve.${applicant.id}`);
  await pollUntil(async () => (await api.request('GET', `/users/${applicant.id}`)).active === true, { what: 'the account approved' });
  assert.equal((await api.request('GET', `/users/${applicant.id}`)).role, 'sales');
  assert.equal(await signInStatus(baseUrl, 'liwei', password), 200, 'signs in once approved');
  await waitForSnapshot(page, (s) => findItem(s, `users.state.${applicant.id}`)?.label === '启用' && !findItem(s, `users.pending.${applicant.id}`) &&
    findItem(s, `users.role_text.${applicant.id}`)?.label === '销售人员' && s, { what: 'the list to show the active sales account' });

  // Disabled, the account cannot sign in; enabled again, it can. The admin cannot disable themselves.
  const me = (await api.request('GET', '/me')).user ?? (await api.request('GET', '/me'));
  const snap = await waitForSnapshot(page, (s) => findItem(s, `users.disable.${applicant.id}`) && s, { what: 'the disable button' });
  assert.equal(findItem(snap, `users.disable.${me.id}`), null, 'no disable button on one\'s own account');
  await click(page, `users.disable.${applicant.id}`);
  await pollUntil(async () => (await api.request('GET', `/users/${applicant.id}`)).active === false, { what: 'the account disabled' });
  assert.notEqual(await signInStatus(baseUrl, 'liwei', password), 200, 'a disabled account cannot sign in');
  await waitForSnapshot(page, (s) => findItem(s, `users.state.${applicant.id}`)?.label === '已停用' && findItem(s, `users.enable.${applicant.id}`) && s,
    { what: 'the account shown disabled' });
  await click(page, `users.enable.${applicant.id}`);
  await pollUntil(async () => (await api.request('GET', `/users/${applicant.id}`)).active === true, { what: 'the account enabled again' });
  assert.equal(await signInStatus(baseUrl, 'liwei', password), 200);

  // The screen is an address of its own; offline it says it needs the network.
  await reloadClient(page);
  await waitForSnapshot(page, (s) => s.screen === 'admin.users' && findItem(s, `users.row.${applicant.id}`) && s, { what: 'the users screen after a reload' });
  await context.setOffline(true);
  await waitForSnapshot(page, (s) => !s.online && findItem(s, 'users.offline') && s, { what: 'the offline notice' });
  await context.setOffline(false);
});
