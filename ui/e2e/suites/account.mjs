// The browser suite's account view: every notice and what to do, the CDN switch, the FTP
// accounts.
import { assert, until } from '../lib.mjs';
import { suite, open, row, screen, shot, navTo, toastTexts, dismissToasts, calls } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— the account ———

test('account: every notice says what it means and what to do; the CDN switch waits, then saves, without blocking the app', async ({ page, base }) => {
  await open(page, base);
  await page.evaluate(() => window.__harness.fake.account.set({ uploadForbidden: true, overQuota: true }));
  await navTo(page, 'account');
  await page.click('.view-head button:has-text("Refresh")');
  const notices = page.locator('[data-testid=account-notices] [data-notice]');
  await until(async () => (await notices.count()) === 3, 'three notices');
  const kinds = await notices.evaluateAll((els) => els.map((e) => e.dataset.notice));
  assert(JSON.stringify(kinds) === '["uploadForbidden","overQuota","subscriptionEndsSoon"]', `most serious first: ${kinds}`);
  const texts = await notices.allTextContents();
  assert(texts[0].includes('Uploads are refused on this account') && texts[0].includes('Downloads and managing your files still work'), `upload forbidden explained: ${texts[0]}`);
  assert(texts[1].includes('Over your storage quota') && texts[1].includes('What to do: Free some space'), `over quota explained: ${texts[1]}`);
  assert(texts[2].includes('Your subscription ends in 12 days') && texts[2].includes('What to do: Renew it on 1fichier.com'), `subscription explained: ${texts[2]}`);
  assert(texts.every((x) => x.includes('What to do:')), 'each says what to do');
  assert((await page.textContent('[data-testid=flag-uploads]')).includes('Refused by 1fichier'), 'the upload flag');
  assert((await page.textContent('[data-testid=flag-quota]')).includes('Over quota'), 'the quota flag');
  assert((await page.textContent('[data-testid=account-days]')).trim() === '12 days left', 'days left');
  assert(/^\d+(\.\d+)? (GiB|MiB)$/.test((await page.textContent('[data-testid=account-hot]')).trim()), 'hot storage');
  assert(/^4\.99 TiB$/.test((await page.textContent('[data-testid=account-available]')).trim()), 'the free space 1fichier tells');
  // The demo's answer is two minutes old: Refresh gets the same one (one account call per 5 minutes).
  const note = page.locator('[data-testid=cdn-note]');
  const age = () => page.textContent('[data-testid=account-age]').then((x) => x.trim());
  assert(await age() === 'As of 2 min ago', `the age of the answer: ${await age()}`);
  await until(async () => /^A change is saved within 3 min: 1fichier accepts one account change every 5 minutes\.$/.test((await note.textContent()).trim()), 'the 5-minute rule, with the wait');
  // An answer older than 5 minutes is asked again, which starts the 5 minutes over.
  await page.evaluate(() => window.__harness.fake.account.answered(400));
  await page.click('.view-head button:has-text("Refresh")');
  await until(async () => (await age()) === 'As of less than a minute ago', 'a new answer');
  await until(async () => /^A change is saved within 5 min:/.test((await note.textContent()).trim()), 'the wait starts over');
  await dismissToasts(page);
  await shot(page, 'account-notices');

  // Turned on: shown on at once, pending until 1fichier has answered; the rest of the app works meanwhile.
  const sw = page.locator('[data-testid=cdn-switch]');
  assert(await sw.getAttribute('role') === 'switch' && await sw.getAttribute('aria-checked') === 'false', 'a switch, off');
  await page.evaluate(() => window.__harness.hold('set_use_cdn'));
  await sw.click();
  await until(async () => await sw.getAttribute('aria-checked') === 'true' && await sw.getAttribute('aria-busy') === 'true', 'on, pending');
  assert(/^Saving, within 5 min: 1fichier accepts one account change every 5 minutes\./.test((await note.textContent()).trim()), `the wait while saving: ${await note.textContent()}`);
  assert(await sw.getAttribute('aria-disabled') === 'true', 'told unavailable while pending');
  await sw.click({ force: true });
  await page.waitForTimeout(100);
  assert(JSON.stringify(await calls(page, 'set_use_cdn')) === '[{"on":true}]', 'a second click does nothing while pending');
  await screen(page, 'account-cdn-pending');
  await navTo(page, 'files');
  await row(page, 'Documents').dblclick();
  await until(() => row(page, 'contract-signed.pdf').count(), 'the files can be browsed meanwhile');
  await navTo(page, 'account');
  assert(await sw.getAttribute('aria-busy') === 'true' && await sw.getAttribute('aria-checked') === 'true', 'still pending when back');
  await page.evaluate(() => window.__harness.release('set_use_cdn'));
  await until(async () => await sw.getAttribute('aria-busy') === 'false', 'answered', 8000);
  assert(await sw.getAttribute('aria-checked') === 'true', 'saved on');
  await until(async () => (await toastTexts(page)).some((x) => x.includes('“Use CDN credit” is now on')), 'the toast says so');
  await until(async () => /^A change is saved within 5 min/.test((await note.textContent()).trim()), 'the next change waits 5 minutes');

  // Refused: back to what it was, and why.
  await page.evaluate(() => window.__harness.hold('set_use_cdn'));
  await sw.click();
  await until(async () => await sw.getAttribute('aria-checked') === 'false', 'off, pending');
  await page.evaluate(() => window.__harness.release('set_use_cdn', { code: 'network', message: 'connection failed', retryable: false }));
  await until(async () => (await page.textContent('[data-testid=cdn-error]').catch(() => ''))?.includes('The setting was not changed. The network connection failed.'), 'the error');
  assert(await sw.getAttribute('aria-checked') === 'true' && await sw.getAttribute('aria-busy') === 'false', 'back on');
});

test('account: FTP accounts with their folders; add checks the name and password, says a name is taken, remove asks first', async ({ page, base }) => {
  await open(page, base);
  await navTo(page, 'account');
  const list = page.locator('[data-testid=ftp-list] tbody tr');
  await until(async () => (await list.count()) === 2, 'two FTP accounts');
  const rows = await list.evaluateAll((trs) => trs.map((tr) => [tr.dataset.ftp, tr.querySelector('[data-testid=ftp-folder]').textContent.trim()]));
  assert(JSON.stringify(rows) === '[["camera-upload","Photos"],["scanner","My files"]]', `users and folders: ${JSON.stringify(rows)}`);
  assert((await page.textContent('[data-testid=ftp-host]')).trim() === 'ftp.1fichier.com', 'the server');

  // Checked here before asking.
  await page.fill('#ftp-user', 'bad name');
  await page.fill('#ftp-pass', 'short');
  await page.click('[data-testid=ftp-submit]');
  await until(async () => (await page.textContent('[data-testid=ftp-user-err]').catch(() => ''))?.includes('“ ” can’t be used: letters, digits, “.”, “_” and “-” only.'), 'the user name refused');
  assert(await page.getAttribute('#ftp-user', 'aria-invalid') === 'true', 'marked invalid');
  assert(await page.evaluate(() => document.activeElement?.id) === 'ftp-user', 'the focus on the field');
  await page.fill('#ftp-user', 'nas');
  assert(await page.locator('[data-testid=ftp-user-err]').count() === 0, 'typing clears it');
  await page.click('[data-testid=ftp-submit]');
  await until(async () => (await page.textContent('[data-testid=ftp-pass-err]').catch(() => ''))?.includes('at least 8 characters'), 'the password refused');
  assert((await calls(page, 'add_ftp_account')).length === 0, 'nothing sent while invalid');

  // Taken: 1fichier says so, under the user name.
  await page.fill('#ftp-user', 'scanner');
  await page.fill('#ftp-pass', 'longenough1');
  await page.click('[data-testid=ftp-submit]');
  await until(async () => (await page.textContent('[data-testid=ftp-user-err]').catch(() => ''))?.includes('An FTP account named “scanner” already exists.'), 'the name conflict');
  assert((await calls(page, 'add_ftp_account')).length === 1, 'asked once');
  assert(await page.inputValue('#ftp-pass') === 'longenough1', 'the password is kept');

  // Into a folder chosen in the picker.
  await page.fill('#ftp-user', 'nas-backup');
  await page.click('[data-testid=ftp-choose]');
  const dialog = page.locator('[data-testid=dialog]');
  await dialog.locator('[role=option]', { hasText: 'Documents' }).click();
  await dialog.locator('button[type=submit]').click();
  await dialog.waitFor({ state: 'detached' });
  assert((await page.textContent('[data-testid=ftp-folder-choice]')).trim() === 'Documents', 'the chosen folder');
  await page.click('[data-testid=ftp-submit]');
  await until(async () => (await list.count()) === 3, 'the new account listed');
  const added = (await calls(page, 'add_ftp_account')).pop();
  assert(JSON.stringify(added) === JSON.stringify({ user: 'nas-backup', password: 'longenough1', folderId: 22692434 }), `add_ftp_account: ${JSON.stringify(added)}`);
  assert((await page.textContent('[data-ftp="nas-backup"] [data-testid=ftp-folder]')).trim() === 'Documents', 'into Documents');
  assert(await page.inputValue('#ftp-user') === '' && await page.inputValue('#ftp-pass') === '', 'the form is emptied');
  await until(async () => (await toastTexts(page)).some((x) => x.includes('FTP account “nas-backup” created')), 'the toast');
  await dismissToasts(page);
  await page.locator('.view-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await shot(page, 'account-ftp');

  // Remove: asks first; Cancel keeps it.
  const remove = page.locator('[data-ftp="camera-upload"] [data-testid=ftp-remove]');
  assert(await remove.getAttribute('aria-label') === 'Remove the FTP account camera-upload', 'the button names the account');
  await remove.click();
  await dialog.waitFor();
  assert((await dialog.textContent()).includes('Remove the FTP account “camera-upload”?'), 'the confirmation names it');
  await until(() => page.evaluate(() => document.activeElement?.textContent?.trim() === 'Cancel'), 'focus on Cancel');
  await dialog.locator('button:has-text("Cancel")').click();
  await dialog.waitFor({ state: 'detached' });
  assert(await page.locator('[data-ftp="camera-upload"]').count() === 1 && (await calls(page, 'remove_ftp_account')).length === 0, 'kept');
  await remove.click();
  await dialog.locator('button.danger').click();
  await until(async () => (await page.locator('[data-ftp="camera-upload"]').count()) === 0, 'removed');
  assert(JSON.stringify(await calls(page, 'remove_ftp_account')) === '[{"user":"camera-upload"}]', 'remove_ftp_account once');
  assert(await list.count() === 2, 'the others stay');
});
