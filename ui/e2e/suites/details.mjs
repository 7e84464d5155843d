// The browser suite's move to…, shares and passwords, the details of the list and the
// sidebar, the demo's way to a real key and out, remote upload in French, and the listing's
// age (the cache line).
import { assert, until } from '../lib.mjs';
import { suite, open, row, rowNames, setTheme, screen, navTo, setLanguage } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— move, share ———

test('move to…: the folder it is in cannot be chosen, and the dialog says where it goes', async ({ page, base }) => {
  await open(page, base);
  await row(page, 'README.txt').click({ button: 'right' });
  await page.click('[data-testid=context-menu] [role=menuitem]:has-text("Move to…")');
  const dialog = page.locator('[data-testid=dialog]');
  const target = dialog.locator('[data-testid=picker-target]');
  const confirm = dialog.locator('button[type=submit]');
  await dialog.locator('[role=option]', { hasText: 'Documents' }).waitFor();
  await until(async () => (await target.textContent())?.includes('Already in “My files”'), 'says the file is already here');
  assert(await confirm.isDisabled(), '"Move here" is disabled in the folder it is in');
  await dialog.locator('[role=option]', { hasText: 'Documents' }).click();
  await until(async () => (await target.textContent())?.trim() === 'Into: My files › Documents', `the target is Documents (${await target.textContent()})`);
  assert((await confirm.textContent()).trim() === 'Move to “Documents”', `the button names it: ${await confirm.textContent()}`);
  await dialog.locator('[role=option]', { hasText: 'Documents' }).dblclick();
  await dialog.locator('[role=option]', { hasText: 'Work' }).waitFor();
  await until(async () => (await target.textContent())?.trim() === 'Into: My files › Documents', 'inside Documents, the target is still Documents');
  await dialog.locator('[role=option]', { hasText: 'Work' }).click();
  await until(async () => (await target.textContent())?.trim() === 'Into: My files › Documents › Work', 'then Work');
  await screen(page, 'fix-move-target');
  await confirm.click();
  await dialog.waitFor({ state: 'detached' });
  const call = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'move_files').pop());
  assert(call?.args.destinationId === 22692435, `moved into Work: ${JSON.stringify(call?.args)}`);
  await until(async () => (await page.textContent('[data-testid=toasts]')).includes('moved to “Work”'), 'the toast names Work');
});

test('shares: a set password shows when reopened, one toast per save, the link has a copy button', async ({ page, base }) => {
  await open(page, base);
  const dialog = page.locator('[data-testid=dialog]');
  const openShare = async () => {
    await row(page, 'Photos').click({ button: 'right' });
    await page.click('[data-testid=context-menu] [role=menuitem]:has-text("Share folder…")');
    await dialog.waitFor();
    await dialog.locator('input[type=checkbox]').first().waitFor();
  };
  await openShare();
  assert(await dialog.locator('[data-testid=share-password-state]').count() === 0, 'no password yet');
  await dialog.locator('label:has-text("Share publicly") input').check();
  await dialog.locator('input[type=password]').fill('secret1');
  await dialog.locator('button[type=submit]').click();
  await dialog.waitFor({ state: 'detached' });
  await page.waitForTimeout(600);
  const toasts = await page.locator('[data-testid=toasts] .toast').allTextContents();
  assert(toasts.length === 1 && toasts[0].includes('link copied'), `one toast for one save: ${JSON.stringify(toasts)}`);
  await page.click('[data-testid=toasts] .toast button');

  await openShare();
  await until(async () => (await dialog.locator('[data-testid=share-password-state]').textContent().catch(() => ''))?.includes('Password set'), 'says a password is set');
  await screen(page, 'fix-share-password-set');
  const link = await dialog.locator('[data-testid=share-link] input').inputValue();
  assert(/^https:\/\/1fichier\.com\/dir\//.test(link), `the public link is shown: ${link}`);
  await dialog.locator('[data-testid=share-link] button').click();
  await until(async () => (await page.textContent('[data-testid=toasts]')).includes('Copied'), 'the copy button copies');
  // Saving without touching the password keeps it.
  const before = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'share_folder').length);
  await dialog.locator('button[type=submit]').click();
  await dialog.waitFor({ state: 'detached' });
  const keep = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'share_folder').slice(-1)[0]);
  const after = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'share_folder').length);
  assert(after === before || keep.args.password === 'secret1', `an untouched password is not removed: ${JSON.stringify(keep?.args)}`);
  await openShare();
  await until(async () => (await dialog.locator('[data-testid=share-password-state]').textContent().catch(() => ''))?.includes('Password set'), 'still set');
  // Remove it.
  await dialog.locator('label:has-text("Remove the password") input').check();
  assert(await dialog.locator('input[type=password]').isDisabled(), 'no new password while removing');
  await dialog.locator('button[type=submit]').click();
  await dialog.waitFor({ state: 'detached' });
  const removed = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'share_folder').pop().args);
  assert(removed.share === true && !removed.password, `shared, without a password: ${JSON.stringify(removed)}`);
  await openShare();
  await page.waitForTimeout(200);
  assert(await dialog.locator('[data-testid=share-password-state]').count() === 0, 'no password any more');
  await page.keyboard.press('Escape');
});

test('details: a password set on a file or a shared folder shows at once, and stays once 1fichier answers', async ({ page, base }) => {
  await open(page, base);
  const panel = page.locator('[data-testid=info-panel]');
  const dialog = page.locator('[data-testid=dialog]');
  const password = () => panel.evaluate((p) => [...p.querySelectorAll('dt')].find((d) => d.textContent === 'Password')?.nextElementSibling?.textContent);
  const listedAfter = (cmd) => page.evaluate((cmd) => {
    const calls = window.__harness.calls.map((c) => c.cmd);
    return calls.lastIndexOf('list_folder') > calls.lastIndexOf(cmd);
  }, cmd);
  const setFilePassword = async (name, value) => {
    await row(page, name).click();
    await until(async () => (await password()) === 'No', `${name}: no password yet`);
    await page.evaluate(() => window.__harness.hold('set_file_attributes'));
    await panel.locator('button:has-text("Password and description")').click();
    await dialog.locator('input[type=password]').fill(value);
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
  };

  // A file, while 1fichier has not answered yet, then once it has.
  await setFilePassword('README.txt', 'secret12');
  await until(async () => (await password()) === 'Yes', 'Password: Yes as soon as it is saved');
  await page.evaluate(() => window.__harness.release('set_file_attributes'));
  await until(() => listedAfter('set_file_attributes'), 'listed again after the answer');
  await until(async () => (await page.textContent('[data-testid=toasts]')).includes('Saved'), 'saved');
  assert(await password() === 'Yes', 'still Yes after the listing');
  await panel.locator('button:has-text("Password and description")').click();
  await dialog.locator('label:has-text("Remove the password")').waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // Refused: back to what it was.
  await setFilePassword('invoice-2024-03.pdf', 'secret12');
  await until(async () => (await password()) === 'Yes', 'Yes while the answer is awaited');
  await page.evaluate(() => window.__harness.release('set_file_attributes', { code: 'network', message: 'connection failed', retryable: false }));
  await until(async () => (await password()) === 'No', 'No again when 1fichier did not take it');
  await until(async () => (await page.textContent('[data-testid=toasts]')).includes('The network connection failed.'), 'and the reason is shown');

  // A folder shared with a password.
  await row(page, 'Photos').click();
  await until(async () => (await password()) === 'No', 'Photos: no password yet');
  await page.evaluate(() => window.__harness.hold('share_folder'));
  await panel.locator('button:has-text("Share folder")').click();
  await dialog.locator('label:has-text("Share publicly") input').check();
  await dialog.locator('input[type=password]').fill('secret1');
  await dialog.locator('button[type=submit]').click();
  await dialog.waitFor({ state: 'detached' });
  await until(async () => (await password()) === 'Yes', 'Photos: Password: Yes as soon as it is saved');
  await page.evaluate(() => window.__harness.release('share_folder'));
  await until(() => listedAfter('share_folder'), 'listed again after the share');
  assert(await password() === 'Yes', 'Photos: still Yes after the listing');
  await screen(page, 'fix-details-password-set');
  await panel.locator('button:has-text("Share folder")').click();
  await until(async () => (await dialog.locator('[data-testid=share-password-state]').textContent().catch(() => ''))?.includes('Password set'), 'the reopened dialog says a password is set');
  await page.keyboard.press('Escape');
  // Inside the folder, its own details say so too.
  await row(page, 'Photos').dblclick();
  await until(async () => (await page.locator('nav[aria-label="Folder path"] [aria-current=location]').textContent())?.trim() === 'Photos', 'in Photos');
  await page.keyboard.press('Escape');
  await until(async () => (await password()) === 'Yes' && (await panel.textContent()).includes('Public link'), 'the folder itself: password and link');
});

// ——— details ———

test('details: case-blind sort, dark dropdowns, one place lit in the sidebar, a new folder dated, storage sliver', async ({ page, base }) => {
  await open(page, base);
  // Names sort as words, whatever their case.
  await page.evaluate(async () => {
    const f = window.__harness.fake;
    for (const n of ['apple', 'Banana', 'cherry', 'DATES']) await f.createFolder(0, n);
  });
  await page.click('button[aria-label="Refresh"]');
  await until(() => row(page, 'DATES').count(), 'new folders listed');
  const folders = (await rowNames(page)).filter((n) => !n.includes('.'));
  assert(JSON.stringify(folders.slice(0, 5)) === '["apple","Banana","cherry","DATES","Documents"]', `case-blind order: ${folders}`);
  const tree = (await page.locator('[role=tree] [role=treeitem][aria-level="2"] [id$="-name"]').allTextContents()).slice(0, 5);
  assert(JSON.stringify(tree) === '["apple","Banana","cherry","DATES","Documents"]', `the tree sorts the same: ${tree}`);

  // A folder created here shows when, before any refresh.
  await page.click('button:has-text("New folder")');
  await page.fill('[data-testid=dialog] input', 'Inbox');
  await page.keyboard.press('Enter');
  await until(() => row(page, 'Inbox').count(), 'new folder listed');
  const date = await row(page, 'Inbox').locator('.col-date').textContent();
  assert(/^\d\d\/\d\d\/\d{4}, \d\d:\d\d$/.test(date), `the new folder has a date: ${date}`);

  // Only the current view is lit in the sidebar.
  await navTo(page, 'transfers');
  const lit = await page.evaluate(() => {
    const side = document.querySelector('.sidebar');
    const bg = getComputedStyle(side).backgroundColor;
    return [...side.querySelectorAll('.nav-item, [role=treeitem] > *')].filter((e) => {
      const c = getComputedStyle(e).backgroundColor;
      return c !== 'rgba(0, 0, 0, 0)' && c !== bg;
    }).map((e) => e.textContent.trim().slice(0, 20));
  });
  assert(lit.length === 1 && lit[0].startsWith('Transfers'), `one highlight in the sidebar: ${JSON.stringify(lit)}`);
  assert(await page.locator('[role=tree] [aria-selected=true]').count() === 0, 'no folder marked current outside Files');

  // Native dropdowns follow the dark theme.
  await setTheme(page, 'dark');
  const dark = await page.evaluate(() => {
    const s = document.querySelector('.bw select');
    const o = s.options[0];
    const lum = (c) => { const [r, g, b] = c.match(/\d+/g).map(Number); return (r + g + b) / 3; };
    return { scheme: getComputedStyle(s).colorScheme, option: getComputedStyle(o).backgroundColor, lum: lum(getComputedStyle(o).backgroundColor), alpha: getComputedStyle(o).backgroundColor.startsWith('rgba') };
  });
  assert(dark.scheme.includes('dark') && !dark.alpha && dark.lum < 80, `dark dropdowns: ${JSON.stringify(dark)}`);
  await setTheme(page, 'light');

  // The storage bar shows a little used space.
  await navTo(page, 'account');
  await until(async () => (await page.textContent('[data-testid=offer]').catch(() => ''))?.includes('Premium'), 'account shown');
  const sliver = await page.$eval('.bar.big > span', (s) => s.getBoundingClientRect().width);
  assert(sliver >= 4, `used space is visible (${sliver} px)`);
});

/** Starts the demo from the start screen and opens Settings, which has no "Forget". */
async function demoSettings(page, base) {
  await open(page, base, 'fresh');
  await page.click('text=Try the demo');
  await page.waitForSelector('[data-testid=file-list] .row[data-key]');
  await navTo(page, 'settings');
  const settings = page.locator('section[aria-label="Settings"]');
  await settings.waitFor();
  assert(await settings.locator('button:has-text("Forget this key")').count() === 0, 'no Forget in the demo');
  return settings;
}

test('demo: no "Forget this key"; "Use my key" goes to the key screen and back', async ({ page, base }) => {
  const settings = await demoSettings(page, base);
  assert((await settings.textContent()).includes('You are trying the demo'), 'says it is the demo');
  await screen(page, 'fix-settings-demo');
  await settings.locator('button:has-text("Use my key")').click();
  await page.waitForSelector('#api-key');
  await page.click('button:has-text("Back to the demo")');
  await settings.waitFor();
  assert(await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'forget_key').length) === 0, 'the stored key is never touched');
  await navTo(page, 'settings');
  await settings.locator('button:has-text("Use my key")').click();
  await page.fill('#api-key', 'Ab3'.padEnd(32, 'x'));
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=file-list] .row[data-key]');
  await navTo(page, 'settings');
  // A real account: removing it (and its key) is offered, not leaving a demo.
  await settings.locator('[data-testid=settings-remove-account]:has-text("Remove this account…")').waitFor();
  assert(await settings.locator('[data-testid=leave-demo]').count() === 0, 'no Leave the demo with a real key');
});

test('demo: "Leave the demo" goes back to the start screen and never touches the keychain', async ({ page, base }) => {
  const settings = await demoSettings(page, base);
  // Found by its id: the section's name changes with the language.
  const leave = page.locator('[data-testid=leave-demo]');
  assert((await leave.textContent()).trim() === 'Leave the demo', `the button: ${await leave.textContent()}`);
  assert((await settings.textContent()).includes('Back to the start screen to enter your own API key.'), 'says where it leads');
  assert(await leave.getAttribute('aria-describedby') === 'leave-demo-hint', 'the line describes the button');
  await screen(page, 'fix-settings-leave-demo');
  await page.selectOption('#set-lang', 'fr');
  await until(async () => (await leave.textContent()).trim() === 'Quitter la démo', 'in French');
  assert((await page.textContent('section[aria-label="Réglages"]')).includes('Retour à l’écran d’accueil pour saisir votre propre clé API.'), 'the French line');
  await screen(page, 'fix-settings-leave-demo-fr');
  await page.selectOption('#set-lang', 'en');
  await until(async () => (await leave.textContent()).trim() === 'Leave the demo', 'back in English');
  // It asks first, in the words of the account view, starting on Cancel.
  await leave.click();
  const dialog = page.locator('[data-testid=remove-account-dialog]');
  await dialog.waitFor();
  assert((await dialog.locator('h2').textContent()) === 'Leave the demo?', `title: ${await dialog.locator('h2').textContent()}`);
  assert((await dialog.textContent()).includes('The start screen opens next'), 'says where it leads');
  assert(await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Cancel', 'starts on Cancel');
  await dialog.locator('[data-testid=remove-account-confirm]:has-text("Leave the demo")').click();
  await page.waitForSelector('#api-key');
  // The start screen itself (not the key screen opened from the demo, which can go back).
  assert(await page.locator('button:has-text("Try the demo")').count() === 1, 'the demo can be started again');
  assert(await page.locator('button:has-text("Back to the demo")').count() === 0, 'the demo is over');
  const cmds = await page.evaluate(() => window.__harness.calls.map((c) => [c.cmd, c.args.id ?? '']));
  assert(JSON.stringify(cmds.filter(([c]) => c === 'remove_account')) === '[["remove_account","demo"]]', `the demo ended once: ${cmds}`);
  assert(!cmds.some(([c]) => c === 'forget_key'), 'the stored key is never touched');
  const session = await page.evaluate(() => window.__harness.fake.getSession());
  assert(!session.hasKey && !session.demo, `the session is closed: ${JSON.stringify(session)}`);
  // And a key of one's own can be entered from there.
  await page.fill('#api-key', 'Ab3'.padEnd(32, 'x'));
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=file-list] .row[data-key]');
  await navTo(page, 'settings');
  await settings.locator('[data-testid=settings-remove-account]').waitFor();
  assert(await settings.locator('[data-testid=leave-demo]').count() === 0, 'no Leave the demo with a real key');
});

test('remote upload in French: failed URLs and refused requests are told in French', async ({ page, base }) => {
  await open(page, base);
  await setLanguage(page, 'fr');
  await navTo(page, 'remote');
  const failedText = 'Échec : 1fichier n’a pas pu la récupérer';
  // The account's job made elsewhere: 1fichier's own words are kept for the tooltip.
  const old = page.locator('[data-testid=remote-job]:has-text("3100007")');
  await old.waitFor();
  const oldStatus = old.locator('li.ko [data-testid=remote-status]');
  assert((await oldStatus.textContent()).trim() === failedText, `a failed URL in French: ${await oldStatus.textContent()}`);
  assert(await oldStatus.getAttribute('title') === 'Réponse de 1fichier : « Remote server answered 404 »', `1fichier's words, quoted: ${await oldStatus.getAttribute('title')}`);
  assert(!/Remote server|Failed/.test(await old.textContent()), `no English in the job: ${await old.textContent()}`);
  // A new request, one URL of which fails.
  await page.fill('#remote-urls', 'https://example.org/files/dataset.zip\nhttps://example.org/missing-404.bin');
  await page.click('button[type=submit]:has-text("Envoyer à 1fichier")');
  const job = page.locator('[data-testid=remote-job]').first();
  await until(async () => /Ajouté/.test(await job.textContent()) && (await job.locator('li.ko [data-testid=remote-status]').textContent().catch(() => '')).trim() === failedText,
    'the new job has run, its failure said in French', 8000);
  // A free account: 1fichier refuses the request, and a retry too.
  await page.evaluate(() => window.__harness.fake.setOffer('free'));
  await page.fill('#remote-urls', 'https://example.org/files/other.zip');
  await page.click('button[type=submit]:has-text("Envoyer à 1fichier")');
  const refused = 'L’upload distant demande un compte Premium ou Access.';
  const toastTexts = () => page.locator('[data-testid=toasts] .toast.error').allTextContents();
  await until(async () => (await toastTexts()).some((x) => x.includes(refused)), 'the refusal in French');
  await old.locator('button:has-text("Réessayer ce qui a échoué")').click();
  await until(async () => (await toastTexts()).filter((x) => x.includes(refused)).length === 2, 'the refused retry in French too');
  const all = (await toastTexts()).join(' | ');
  assert(!/paying|account|Premium, Access or CDN|téléchargements directs/.test(all), `no English, no wrong text: ${all}`);
  await screen(page, 'fix-remote-french');
  await page.evaluate(() => window.__harness.fake.setOffer('premium'));
  await setLanguage(page, 'en');
});

// ——— the listing's age ———

test('cache line: an edit reloads quietly; only Refresh answered from the cache shows the amber 30 s note', async ({ page, base }) => {
  await open(page, base);
  const line = page.locator('[data-testid=cache-status]');
  const state = () => line.evaluate((el) => {
    const probe = document.createElement('span');
    el.appendChild(probe);
    const colour = (v) => { probe.style.color = `var(${v})`; return getComputedStyle(probe).color; };
    const out = { text: el.textContent.trim(), amber: el.classList.contains('cached'), color: getComputedStyle(el).color, muted: colour('--muted'), warn: colour('--warn') };
    probe.remove();
    return out;
  });
  const quiet = async (what) => {
    const s = await until(async () => { const x = await state(); return /^Listed (just now|\d+ s ago)$/.test(x.text) ? x : null; }, `${what}: the line says how old the listing is`);
    assert(!s.amber && !s.text.includes('30 s'), `${what}: no warning (${JSON.stringify(s)})`);
    assert(s.color === s.muted && s.color !== s.warn, `${what}: in the muted colour (${JSON.stringify(s)})`);
  };
  // A rename: the listing comes back from the cache, with the new name in it.
  await row(page, 'README.txt').click();
  await page.keyboard.press('F2');
  await page.fill('[data-testid=dialog] input', 'READ-ME-FIRST.txt');
  await page.keyboard.press('Enter');
  await until(() => row(page, 'READ-ME-FIRST.txt').count(), 'renamed row shown');
  const reload = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'list_folder').pop().args);
  assert(reload.force === false, `the reload after an edit is not forced: ${JSON.stringify(reload)}`);
  await quiet('after a rename');
  // Past the first seconds it tells the age, still quietly.
  await until(async () => /^Listed \d+ s ago$/.test((await state()).text), 'the age is told', 10000);
  await quiet('a few seconds after the rename');
  await screen(page, 'fix-cache-after-edit');
  // A new folder: the same.
  await page.click('button:has-text("New folder")');
  await page.fill('[data-testid=dialog] input', 'Inbox');
  await page.keyboard.press('Enter');
  await until(() => row(page, 'Inbox').count(), 'new folder listed');
  await quiet('after a new folder');
  // Refresh inside the 30 s: the answer is the cached one, and the line says why.
  await page.click('button[aria-label="Refresh"]');
  const warned = await until(async () => { const x = await state(); return x.amber ? x : null; }, 'amber after Refresh');
  assert(warned.text.includes('1fichier allows one listing per folder every 30 s'), `the 30 s rule explained: ${warned.text}`);
  assert(warned.color === warned.warn, `in the warning colour (${JSON.stringify(warned)})`);
  await screen(page, 'fix-cache-after-refresh');
  // In French, an edit again reads quietly.
  await setLanguage(page, 'fr');
  await navTo(page, 'files');
  await row(page, 'Inbox').click();
  await page.keyboard.press('F2');
  await page.fill('[data-testid=dialog] input', 'Boîte');
  await page.keyboard.press('Enter');
  await until(() => row(page, 'Boîte').count(), 'renamed folder shown');
  const fr = await until(async () => { const x = await state(); return /^(Liste à jour|Liste obtenue il y a \d+ s)$/.test(x.text) ? x : null; }, 'French: how old the listing is');
  assert(!fr.amber && fr.color === fr.muted, `French: no warning (${JSON.stringify(fr)})`);
  await screen(page, 'fix-cache-after-edit-fr');
  await setLanguage(page, 'en');
});
