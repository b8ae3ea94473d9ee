// teams_admin — 部门管理: the admin creates a team with its manager, puts a sales rep in it, renames it; a
// team that still has members is not deleted (the server's reason shows, the team stays); once empty, it is
// deleted after a confirmation. Every change is checked on the server. Screenshot teams-admin.png.
import assert from 'node:assert/strict';

import {
  ADMIN_PASSWORD, ADMIN_USER, choose, click, e2e, findItem, itemsWithPrefix, login, openClient, pollUntil,
  screenshot, typeInto, waitForCustomerList, waitForItem, waitForScreen, waitForSnapshot,
} from './lib/index.js';

e2e('teams created, staffed, renamed, and deleted only when empty', { timeout: 150000 }, async ({ api, baseUrl, page }) => {
  const password = 'Team-pw-2026';
  const manager = await api.request('POST', '/users', { username: 'wangjing', display_name: '王静', role: 'manager', password });
  const rep = await api.request('POST', '/users', { username: 'liming', display_name: '李明', role: 'sales', password });

  await openClient(page, baseUrl);
  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await waitForCustomerList(page);
  await click(page, 'nav.admin.teams');
  await waitForScreen(page, 'admin.teams');
  await waitForItem(page, `teams.user.${rep.id}`);

  // A new team with its manager.
  await typeInto(page, 'teams.new.name', '华东销售部');
  await choose(page, 'teams.new.manager', '王静');
  await click(page, 'teams.new.create');
  const team = await pollUntil(async () => (await api.request('GET', '/teams')).items.find((t) => t.name === '华东销售部'),
    { what: 'the team on the server' });
  assert.equal(team.manager_id, manager.id);
  await waitForSnapshot(page, (s) => findItem(s, `teams.name.${team.id}`)?.label === '华东销售部' &&
    findItem(s, `teams.manager.${team.id}`)?.label.startsWith('王静') && s, { what: 'the team listed with its manager' });

  // The rep joins it.
  await choose(page, `teams.user_team.${rep.id}`, '华东销售部');
  await pollUntil(async () => (await api.request('GET', `/users/${rep.id}`)).team_id === team.id, { what: 'the rep in the team' });
  await waitForSnapshot(page, (s) => findItem(s, `teams.members.${team.id}`)?.label === '李明' && s, { what: 'the member listed' });

  // Renamed.
  await typeInto(page, `teams.name.${team.id}`, '华东大区', { replace: true });
  await click(page, `teams.save.${team.id}`);
  await pollUntil(async () => (await api.request('GET', `/teams/${team.id}`)).name === '华东大区', { what: 'the team renamed' });
  await waitForSnapshot(page, (s) => findItem(s, 'teams.notice') && findItem(s, `teams.name.${team.id}`)?.label === '华东大区' &&
    findItem(s, `teams.user_team.${rep.id}`)?.label === '华东大区' && s, { what: 'the new name shown everywhere' });
  await screenshot(page, 'teams-admin.png');

  // With a member it is not deleted: the server's reason shows and the team stays.
  await click(page, `teams.delete.${team.id}`);
  const asked = await waitForItem(page, 'teams_delete.question');
  assert.match(asked.label, /华东大区/);
  await click(page, 'teams_delete.confirm');
  const refused = await waitForItem(page, 'teams.error');
  assert.match(refused.label, /不能删除/);
  assert.equal((await api.request('GET', `/teams/${team.id}`)).name, '华东大区');

  // Cancelling asks nothing of the server; once empty, the team is deleted.
  await choose(page, `teams.user_team.${rep.id}`, '（未分配）');
  await pollUntil(async () => (await api.request('GET', `/users/${rep.id}`)).team_id === null, { what: 'the rep out of the team' });
  await waitForSnapshot(page, (s) => findItem(s, `teams.members.${team.id}`)?.label === '—' && s, { what: 'the team shown empty' });
  await click(page, `teams.delete.${team.id}`);
  await click(page, 'teams_delete.cancel');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await api.request('GET', '/teams')).items.length, 1, 'cancel keeps the team');
  await click(page, `teams.delete.${team.id}`);
  await click(page, 'teams_delete.confirm');
  await pollUntil(async () => (await api.request('GET', '/teams')).items.length === 0, { what: 'the team deleted' });
  await waitForSnapshot(page, (s) => !findItem(s, `teams.name.${team.id}`) && s, { what: 'the team gone from the list' });
});
