// The browser suite's several accounts: the switcher, switching while a transfer goes on,
// adding one, the add dialog, removing one, the demo from the menu.
import { join } from 'node:path';
import { assert, until } from '../lib.mjs';
import { suite, open, row, setTheme, screen, shot, navTo, toastTexts, dismissToasts, switcher, accountMenu, openAccountMenu, shots } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— several accounts ———

const focusedTestId = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const transferItem = (page, name) => page.locator('[data-testid=transfer-list] [data-transfer]').filter({ hasText: name });
/** What a transfer row says it has done ("1.2 MB of 180 MB"): it changes as bytes move. */
const progressText = (item) => item.locator('[data-testid=transfer-bytes]').textContent();

test('accounts: the switcher lists them; switching shows the other files while the first one\'s transfer goes on, labelled', async ({ page, base }) => {
  await open(page, base, 'signedIn&accounts=2&speed=250000');
  await until(async () => (await switcher(page).textContent())?.includes('demo@example.org'), 'the switcher names the account shown');
  assert((await page.textContent('[data-testid=account-switcher-name]')) === 'main', 'the first account');
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/big-video.mp4']));
  await navTo(page, 'transfers');
  const first = transferItem(page, 'big-video.mp4');
  await first.waitFor();
  // One account's transfers: no chip.
  assert(await page.locator('[data-testid=transfer-account]').count() === 0, 'no account chip with one account');

  // The menu: every account, the demo last with its tag, a check on the one shown, then "Add an account…".
  await openAccountMenu(page);
  assert(await switcher(page).getAttribute('aria-expanded') === 'true', 'the button says the menu is open');
  const ids = await accountMenu(page).locator('[role=menuitemradio]').evaluateAll((els) => els.map((e) => e.dataset.account));
  assert(JSON.stringify(ids) === '["main","work","demo"]', `accounts: ${ids}`);
  assert(await page.getAttribute('[data-testid=account-option-main]', 'aria-checked') === 'true', 'the shown one is checked');
  assert(await page.getAttribute('[data-testid=account-option-work]', 'aria-checked') === 'false', 'the other is not');
  assert((await page.textContent('[data-testid=account-option-work]')).includes('studio@north-films.example'), 'its e-mail');
  assert((await page.textContent('[data-testid=account-option-demo]')).includes('Demo'), 'the demo tag');
  await until(async () => /1 transfer · 1 running/.test(await page.textContent('[data-testid=account-option-main]')), 'what the first account has under way');
  assert((await page.textContent('[data-testid=add-account]')).trim() === 'Add an account…', 'add at the end');
  // Keyboard: the shown one has the focus; the arrows move and wrap, Escape closes and gives the focus back.
  assert(await focusedTestId(page) === 'account-option-main', `focus on the shown account: ${await focusedTestId(page)}`);
  await page.keyboard.press('ArrowDown');
  assert(await focusedTestId(page) === 'account-option-work', 'down to Work');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert(await focusedTestId(page) === 'add-account', 'up wraps to the end');
  await setTheme(page, 'light');
  await page.waitForTimeout(60);
  await page.screenshot({ path: join(shots, 'accounts-menu-light.png') });
  await setTheme(page, 'dark');
  await page.waitForTimeout(60);
  await page.screenshot({ path: join(shots, 'accounts-menu-dark.png') });
  await setTheme(page, 'system');
  await page.keyboard.press('Escape');
  await accountMenu(page).waitFor({ state: 'detached' });
  assert(await focusedTestId(page) === 'account-switcher', 'focus back on the switcher');

  // Switching: the other account's files, its name in the switcher, a toast.
  const before = await progressText(first);
  await openAccountMenu(page);
  await page.click('[data-testid=account-option-work]');
  await until(async () => (await toastTexts(page)).some((x) => x.includes('Now showing Work')), 'the toast says which account is shown');
  await until(async () => (await page.textContent('[data-testid=account-switcher-name]')) === 'Work', 'the switcher names Work');
  assert((await page.textContent('[data-testid=account-switcher-email]')) === 'studio@north-films.example', 'and its e-mail');
  // The transfers list stays: every account's, the first one's still going.
  assert(await first.count() === 1, 'the first account\'s transfer is still listed');
  await until(async () => (await progressText(first)) !== before, 'and keeps progressing');
  await until(async () => (await page.textContent('[data-testid=account-others-running]').catch(() => ''))?.startsWith('1'), 'the badge counts the running transfer of the other account');
  await navTo(page, 'files');
  await until(() => row(page, 'Clients').count(), 'Work\'s root is listed');
  assert(await row(page, 'README.txt').count() === 0, 'no file of the first account');
  assert((await page.locator('.tree [role=treeitem]').allTextContents()).join(' ').includes('Clients'), 'the tree is Work\'s');
  await navTo(page, 'account');
  await until(async () => (await page.textContent('[data-testid=offer]').catch(() => ''))?.includes('GOLD'), 'the account view is Work\'s');

  // A transfer of Work too: both accounts in the list, each row with its chip.
  await navTo(page, 'files');
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/storyboard-final.pdf']));
  await navTo(page, 'transfers');
  const second = transferItem(page, 'storyboard-final.pdf');
  await second.waitFor();
  await until(async () => (await first.locator('[data-testid=transfer-account]').textContent().catch(() => ''))?.trim() === 'main', 'the first account\'s row names it');
  assert((await second.locator('[data-testid=transfer-account]').textContent()).trim() === 'Work', 'the second account\'s row names it');
  await dismissToasts(page);
  await shot(page, 'transfers-accounts');
  const later = await progressText(first);
  await until(async () => (await progressText(first)) !== later, 'the first account\'s transfer still moves');

  // Back with the keyboard: down on the button opens on the shown one, Enter picks.
  await switcher(page).focus();
  await page.keyboard.press('ArrowDown');
  await accountMenu(page).waitFor();
  await until(async () => (await focusedTestId(page)) === 'account-option-work', 'opens on the shown account');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await until(async () => (await page.textContent('[data-testid=account-switcher-name]')) === 'main', 'back to the first account');
  await navTo(page, 'files');
  await until(() => row(page, 'README.txt').count(), 'its files again');
});

test('accounts: adding one checks the name and the key next to each field, then shows it', async ({ page, base }) => {
  await open(page, base, 'signedIn');
  await openAccountMenu(page);
  await page.click('[data-testid=add-account]');
  const dialog = page.locator('[data-testid=add-account-dialog]');
  await dialog.waitFor();
  assert(await page.evaluate(() => document.activeElement?.id) === 'account-name', 'the name field has the focus');
  assert(await page.getAttribute('#account-name', 'maxlength') === '40', 'the name is kept within 40 characters');
  assert(await page.getAttribute('#account-key', 'type') === 'password', 'the key is hidden');
  assert((await dialog.textContent()).includes('Open your 1fichier parameters and copy the API key.'), 'where the key is found');
  // Escape closes it, and the focus goes back to the switcher.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert(await focusedTestId(page) === 'account-switcher', 'focus back on the switcher');
  await openAccountMenu(page);
  await page.click('[data-testid=add-account]');
  await dialog.waitFor();

  const submit = () => page.click('[data-testid=add-account-submit]');
  const nameError = () => page.textContent('[data-testid=account-name-error]').catch(() => '');
  const keyError = () => page.textContent('[data-testid=account-key-error]').catch(() => '');
  await submit();
  await until(async () => (await nameError()).includes('Give the account a name.'), 'an empty name');
  await page.fill('#account-name', 'MAIN');
  await submit();
  await until(async () => (await nameError()).includes('An account named “main” is already in the list.'), 'a name taken');
  await page.fill('#account-name', 'Work (GOLD)');
  await page.fill('#account-key', 'short');
  await submit();
  await until(async () => (await keyError()).includes('exactly 32 characters; this one has 5'), 'the length of the key');
  assert(await page.getAttribute('#account-key', 'aria-invalid') === 'true', 'the key field is marked');
  await page.fill('#account-key', 'Ab3!'.padEnd(32, 'x'));
  await submit();
  await until(async () => (await keyError()).includes('An API key is 32 letters'), 'a key of the wrong form');
  await page.fill('#account-key', '0000'.padEnd(32, 'a'));
  await submit();
  await until(async () => (await keyError()).includes('1fichier did not accept this key'), 'a key 1fichier refuses');
  await page.fill('#account-key', 'MainKeyOfTheFakeAccount000000001');
  await submit();
  await until(async () => (await keyError()).includes('already in the list'), 'the key of an account already listed');
  assert(await page.locator('[data-testid=file-list]').count() === 1 && (await page.textContent('[data-testid=account-switcher-name]')) === 'main', 'still on the first account');

  // While 1fichier checks: the buttons wait and say so.
  await page.evaluate(() => window.__harness.hold('add_account'));
  await page.fill('#account-key', 'WorkKeyOfTheStudioAccount0000002');
  await submit();
  const busy = page.locator('[data-testid=add-account-submit]');
  await until(async () => (await busy.textContent())?.includes('Checking with 1fichier…') && (await busy.isDisabled()), 'busy while 1fichier checks');
  assert(await page.isDisabled('#account-name'), 'the fields wait too');
  await page.evaluate(() => window.__harness.release('add_account'));
  await dialog.waitFor({ state: 'detached' });
  await until(async () => (await toastTexts(page)).some((x) => x.includes('Now showing Work (GOLD)')), 'the toast');
  await until(async () => (await page.textContent('[data-testid=account-switcher-name]')) === 'Work (GOLD)', 'the switcher names the new account');
  await until(() => row(page, 'Clients').count(), 'its files');
  const added = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'add_account').at(-1).args);
  assert(added.name === 'Work (GOLD)' && added.sessionOnly === false, `asked with ${JSON.stringify(added)}`);
  await openAccountMenu(page);
  const ids = await accountMenu(page).locator('[role=menuitemradio]').evaluateAll((els) => els.map((e) => e.dataset.account));
  assert(JSON.stringify(ids) === '["main","work-gold","demo"]', `accounts: ${ids}`);
  assert(await page.getAttribute('[data-testid=account-option-work-gold]', 'aria-checked') === 'true', 'the new one is shown');
});

test('accounts: the add dialog, light and dark; without a keychain the key is kept for the session', async ({ page, base }) => {
  await open(page, base, 'signedIn&keychain=off');
  await openAccountMenu(page);
  await page.click('[data-testid=add-account]');
  await page.locator('[data-testid=add-account-dialog]').waitFor();
  assert(await page.isChecked('#account-session-only') && await page.isDisabled('#account-session-only'), 'session only, and said why');
  assert((await page.textContent('[data-testid=add-account-dialog]')).includes('The system keychain is unavailable'), 'the reason');
  await page.fill('#account-name', 'A rather long account name for a client');
  await page.fill('#account-key', '0000'.padEnd(32, 'a'));
  await page.click('[data-testid=add-account-submit]');
  await page.locator('[data-testid=account-key-error]').waitFor();
  await shot(page, 'accounts-add');
  await page.fill('#account-key', 'Family'.padEnd(32, 'f'));
  await page.click('[data-testid=add-account-submit]');
  await page.locator('[data-testid=add-account-dialog]').waitFor({ state: 'detached' });
  const added = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'add_account').at(-1).args);
  assert(added.sessionOnly === true, 'kept for this session only');
  // A long name and e-mail end with "…" in the switcher, never beyond the sidebar.
  const fits = await switcher(page).evaluate((b) => {
    const name = b.querySelector('.name');
    return b.getBoundingClientRect().right <= document.querySelector('.sidebar').getBoundingClientRect().right + 0.5
      && getComputedStyle(name).textOverflow === 'ellipsis' && name.scrollWidth > name.clientWidth;
  });
  assert(fits, 'the long name is cut with "…" inside the sidebar');
  await screen(page, 'accounts-long-name');
});

test('accounts: removing one says what happens, then shows the account left, or the start screen', async ({ page, base }) => {
  await open(page, base, 'signedIn&accounts=2&speed=100000');
  await openAccountMenu(page);
  await page.click('[data-testid=account-option-work]');
  await until(async () => (await page.textContent('[data-testid=account-switcher-name]')) === 'Work', 'Work shown');
  await until(() => row(page, 'Clients').count(), 'Work\'s files');
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/cut-a.mov', '/home/u/cut-b.mov']));
  await navTo(page, 'transfers');
  await transferItem(page, 'cut-b.mov').waitFor();
  await navTo(page, 'account');
  const remove = page.locator('[data-testid=remove-account]');
  await until(async () => (await remove.textContent())?.trim() === 'Remove this account…', 'the action in the account view');
  await remove.click();
  const dialog = page.locator('[data-testid=remove-account-dialog]');
  await dialog.waitFor();
  const text = await dialog.textContent();
  assert((await dialog.locator('h2').textContent()) === 'Remove “Work” from this computer?', 'the title names it');
  for (const part of ['Its 2 transfers under way (queued, running or paused) stop.', 'Its API key is removed from this computer’s keychain.',
    'Nothing on 1fichier is touched', 'add the account again with its key and they resume', 'The window then shows “main”.']) {
    assert(text.includes(part), `says "${part}": ${text}`);
  }
  assert(await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Cancel', 'starts on Cancel');
  await shot(page, 'accounts-remove');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert(!(await page.evaluate(() => window.__harness.calls.some((c) => c.cmd === 'remove_account'))), 'nothing removed on Cancel');

  await remove.click();
  await dialog.locator('[data-testid=remove-account-confirm]').click();
  await dialog.waitFor({ state: 'detached' });
  await until(async () => (await toastTexts(page)).some((x) => x.includes('“Work” removed. Now showing main')), 'the toast');
  await until(async () => (await page.textContent('[data-testid=account-switcher-name]')) === 'main', 'the first account shown');
  await until(async () => (await page.textContent('[data-testid=offer]').catch(() => ''))?.includes('Premium'), 'its account view');
  await navTo(page, 'transfers');
  await until(async () => (await transferItem(page, 'cut-b.mov').count()) === 0, 'its transfers stopped');
  await openAccountMenu(page);
  const ids = await accountMenu(page).locator('[role=menuitemradio]').evaluateAll((els) => els.map((e) => e.dataset.account));
  assert(JSON.stringify(ids) === '["main","demo"]', `accounts left: ${ids}`);
  await page.keyboard.press('Escape');

  // The last account: the start screen next.
  await navTo(page, 'account');
  await remove.click();
  await dialog.waitFor();
  assert((await dialog.textContent()).includes('The start screen opens next'), 'says where it leads');
  await dialog.locator('[data-testid=remove-account-confirm]').click();
  await page.waitForSelector('#api-key');
  const session = await page.evaluate(() => window.__harness.fake.getSession());
  assert(!session.hasKey, `no account open: ${JSON.stringify(session)}`);
});

test('accounts: the demo from the menu, and leaving it from the account view', async ({ page, base }) => {
  await open(page, base, 'signedIn');
  await openAccountMenu(page);
  await page.click('[data-testid=account-option-demo]');
  await until(async () => (await page.textContent('[data-testid=account-switcher-name]')) === 'Demo account', 'the demo shown');
  await navTo(page, 'account');
  const leave = page.locator('[data-testid=remove-account]');
  await until(async () => (await leave.textContent())?.trim() === 'Leave the demo…', 'the demo is left, not removed');
  await leave.click();
  const dialog = page.locator('[data-testid=remove-account-dialog]');
  await dialog.waitFor();
  assert((await dialog.textContent()).includes('The window then shows “main”.'), 'back to the real account');
  await dialog.locator('[data-testid=remove-account-confirm]:has-text("Leave the demo")').click();
  await until(async () => (await toastTexts(page)).some((x) => x.includes('The demo is over. Now showing main')), 'the toast');
  await until(async () => (await page.textContent('[data-testid=account-switcher-name]')) === 'main', 'main shown');
});
