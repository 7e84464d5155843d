// The browser suite's backups: adding one with a refused field, preview, run, pause and
// resume, remove; the empty state.
import { assert, until } from '../lib.mjs';
import { suite, esc, open, shot } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— backups ———

const backupRow = (page, name) =>
  page.locator('[data-testid=backup-list] [data-backup]').filter({ has: page.locator('.name', { hasText: new RegExp(`^${esc(name)}$`) }) });

test('backups: add with a refused field, preview, run, pause and resume, remove', async ({ page, base }) => {
  await page.setViewportSize({ width: 880, height: 600 });
  await open(page, base);
  await page.click('nav[aria-label="Main navigation"] button:has-text("Backups")');
  const seed = backupRow(page, 'Photos');
  await seed.waitFor();
  assert((await seed.locator('[data-testid=backup-status]').textContent()).trim() === 'Up to date', 'the seed job is up to date');
  const seedText = await seed.textContent();
  assert(seedText.includes('/home/demo/Pictures') && seedText.includes('→') && seedText.includes('Daily at 03:00'), `seed row: ${seedText}`);
  assert(/^Last run .+ ago: 12 uploaded, 3 moved/.test(await seed.locator('[data-testid=backup-last]').textContent()), 'the seed job says what its last run did');
  assert(/^Next run in \d+ (min|h)$/.test(await seed.locator('[data-testid=backup-next]').textContent()), 'and when it runs next');

  // Add one through the dialog.
  await page.click('[data-testid=backup-add]');
  const editor = page.locator('[data-testid=backup-editor]');
  await editor.waitFor();
  await until(() => page.evaluate(() => document.activeElement?.id === 'bk-name'), 'the name field has the focus');
  await page.fill('#bk-name', 'Documents');
  await page.click('#bk-source-choose');
  await until(async () => (await page.inputValue('#bk-source')) === '/home/demo/Downloads/Fichier', 'the picked folder is the source');
  await page.click('#bk-folder-choose');
  await editor.locator('[role=option]', { hasText: 'Documents' }).click();
  await editor.locator('button:has-text("Choose this folder")').click();
  await until(async () => (await page.inputValue('#bk-folder')) === '/Documents', 'the 1fichier folder is chosen');
  assert(await page.inputValue('#bk-name') === 'Documents', 'the name survives the folder picker');
  await page.check('#bk-mode-mirror');
  await page.check('#bk-sched-every');
  await page.fill('#bk-every', '6');
  await page.check('#bk-watch');
  await page.fill('#bk-excludes', '*.tmp\ncache/');
  await page.fill('#bk-versions', '500');
  await editor.locator('button[type=submit]').click();
  // Refused by the backend: the reason under the field, everything typed kept.
  await until(async () => (await page.textContent('#bk-err-versions').catch(() => ''))?.includes('at most 100 earlier versions'), 'the reason is shown under Versions');
  assert(await page.getAttribute('#bk-versions', 'aria-invalid') === 'true', 'the field is marked invalid');
  assert(await page.inputValue('#bk-versions') === '500', 'the refused number is kept');
  assert(await page.inputValue('#bk-name') === 'Documents' && await page.inputValue('#bk-folder') === '/Documents', 'the other fields are kept');
  assert(await page.inputValue('#bk-excludes') === '*.tmp\ncache/', 'the exclusions are kept');
  assert(await page.isChecked('#bk-mode-mirror') && await page.isChecked('#bk-watch'), 'the choices are kept');
  await page.fill('#bk-versions', '3');
  assert(await page.locator('#bk-err-versions').count() === 0, 'typing clears the reason');
  await editor.locator('button[type=submit]').click();
  await editor.waitFor({ state: 'detached' });
  const add = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'add_backup').pop().args.spec);
  assert(add.versions === 3 && add.mode === 'mirror' && add.watch === true && add.folderId === 22692434 && add.folderLabel === '/Documents'
    && JSON.stringify(add.schedule) === '{"kind":"every","hours":6}' && JSON.stringify(add.excludes) === '["*.tmp","cache/"]',
  `add_backup spec: ${JSON.stringify(add)}`);
  const job = backupRow(page, 'Documents');
  await job.waitFor();
  assert((await job.locator('[data-testid=backup-status]').textContent()).trim() === 'Not backed up yet', 'a new job has not run yet');
  const jobText = await job.textContent();
  assert(jobText.includes('Every 6 hours · watching') && jobText.includes('Mirror') && jobText.includes('/Documents'), `new row: ${jobText}`);

  // Preview, then run from the preview.
  await job.locator('button:has-text("Preview")').click();
  const preview = page.locator('[data-testid=backup-preview]');
  const summary = await until(async () => (await preview.locator('[data-testid=preview-summary]').textContent().catch(() => null)), 'the dry run is shown');
  assert(/^Would upload \d+ files \([\d.]+ MiB\)/.test(summary), `preview summary: ${summary}`);
  await preview.locator('button:has-text("Run now")').click();
  await preview.waitFor({ state: 'detached' });
  const status = job.locator('[data-testid=backup-status]');
  const uploading = await until(async () => {
    const s = (await status.textContent()).trim();
    return /^Uploading [1-9][\d,]* of [\d,]+$/.test(s) ? s : null;
  }, 'the run uploads');
  assert(await job.locator('[role=progressbar]').count() === 1, `a progress bar while ${uploading}`);
  assert(await job.locator('button:has-text("Run now")').isDisabled(), 'Run now waits while it runs');
  assert(await page.locator('[data-testid=backups-running]').textContent() === '1', 'the sidebar counts the running backup');
  // Both jobs on screen, one of them uploading, at the smallest window size.
  const overflow = await page.evaluate(() => {
    const body = document.querySelector('.view-body');
    return body.scrollWidth - body.clientWidth;
  });
  assert(overflow <= 0, `no horizontal overflow at 880×600 (${overflow} px)`);
  await shot(page, 'backups');
  await until(async () => (await status.textContent()).trim() === 'Up to date', 'the run ends up to date', 20000);
  const last = await job.locator('[data-testid=backup-last]').textContent();
  assert(/^Last run just now: \d+ uploaded$/.test(last), `last run summary: ${last}`);
  assert(await job.locator('[role=progressbar]').count() === 0, 'no progress bar once done');

  // Pause and resume.
  await job.locator('button:has-text("Pause")').click();
  await until(async () => (await status.textContent()).trim() === 'Paused', 'paused');
  assert(await job.locator('button:has-text("Run now")').isDisabled(), 'a paused job does not run');
  assert(await job.locator('[data-testid=backup-next]').count() === 0, 'a paused job has no next run');
  await job.locator('button:has-text("Resume")').click();
  await until(async () => (await status.textContent()).trim() === 'Up to date', 'resumed');
  await until(() => job.locator('[data-testid=backup-next]').count(), 'the next run is back');

  // Edit opens with the job's values; Escape closes it and Tab stays inside.
  await job.locator('button:has-text("Edit")').click();
  await editor.waitFor();
  assert(await page.inputValue('#bk-versions') === '3' && await page.inputValue('#bk-every') === '6', 'the editor starts from the job');
  for (let i = 0; i < 30; i++) await page.keyboard.press('Tab');
  assert(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=backup-editor]')), 'Tab stays in the dialog');
  await page.keyboard.press('Escape');
  await editor.waitFor({ state: 'detached' });

  // Remove: asks first, and says the files on 1fichier stay.
  await job.locator('button:has-text("Remove")').click();
  const confirm = page.locator('[data-testid=dialog]');
  await confirm.waitFor();
  assert((await confirm.textContent()).includes('files already on 1fichier are kept'), 'the confirmation says the files are kept');
  await until(() => page.evaluate(() => document.activeElement?.textContent?.trim() === 'Cancel'), 'focus on Cancel');
  await confirm.locator('button.danger').click();
  await until(async () => (await job.count()) === 0, 'the job is gone');
  assert(await backupRow(page, 'Photos').count() === 1, 'the other job stays');
  const removed = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'remove_backup').map((c) => c.args.id));
  assert(removed.length === 1 && removed[0] !== 'b1', `remove_backup called once for the new job: ${removed}`);
  await until(async () => (await page.textContent('[data-testid=toasts]')).includes('its files stay on 1fichier'), 'the toast says so too');
});

test('backups: the empty state explains and offers to add one', async ({ page, base }) => {
  await open(page, base);
  await page.evaluate(() => window.__harness.fake.removeBackup('b1'));
  await page.click('nav[aria-label="Main navigation"] button:has-text("Backups")');
  const empty = page.locator('[data-testid=backups-empty]');
  await empty.waitFor();
  assert((await empty.textContent()).includes('keeps a folder of this computer on 1fichier'), 'the empty state explains backups');
  await empty.locator('button:has-text("Add backup")').click();
  await page.locator('[data-testid=backup-editor]').waitFor();
  // Nothing chosen yet: said under each field, without asking the backend.
  await page.locator('[data-testid=backup-editor] button[type=submit]').click();
  await until(async () => (await page.textContent('#bk-err-name').catch(() => ''))?.includes('Type a name'), 'name required');
  assert((await page.textContent('#bk-err-source')).includes('Choose the folder'), 'source required');
  assert((await page.textContent('#bk-err-folder')).includes('1fichier folder'), 'destination required');
  assert(await page.evaluate(() => window.__harness.calls.every((c) => c.cmd !== 'add_backup')), 'nothing sent');
  await page.click('[data-testid=backup-editor] button:has-text("Cancel")');
  await page.locator('[data-testid=backup-editor]').waitFor({ state: 'detached' });
});
