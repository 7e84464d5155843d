// The browser suite's first tests, onboarding and browsing: a key refused, then accepted;
// no keychain; the demo; folders, breadcrumbs, back and forward, sorting, filtering,
// selecting, rename, delete, a new folder and moving by dragging.
import { assert, until } from '../lib.mjs';
import { suite, open, row, rowNames, selectedCount, shot } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— onboarding ———

test('onboarding rejects an invalid key, then accepts a valid one', async ({ page, base }) => {
  await open(page, base, 'fresh');
  await page.fill('#api-key', 'short');
  await page.click('button[type=submit]');
  await until(async () => (await page.textContent('#key-error'))?.includes('exactly 32 characters'), 'length hint shown');
  await page.fill('#api-key', '0000' + 'a'.repeat(28));
  await page.click('button[type=submit]');
  await until(async () => (await page.textContent('#key-error'))?.includes('did not accept this key'), 'invalid key message shown');
  assert(await page.locator('[data-testid=file-list]').count() === 0, 'must stay on onboarding after an invalid key');
  await page.fill('#api-key', 'Ab3'.padEnd(32, 'x'));
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=file-list] .row[data-key]');
});

test('keychain unavailable offers a session-only key', async ({ page, base }) => {
  await open(page, base, 'keychain=off');
  await page.fill('#api-key', 'k'.repeat(32));
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=alertdialog]');
  assert((await page.textContent('[role=alertdialog]')).includes('this session only'), 'keychain question shown');
  await page.click('text=Use for this session only');
  await page.waitForSelector('[data-testid=file-list] .row[data-key]');
  const calls = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'save_api_key').map((c) => c.args.sessionOnly));
  assert(JSON.stringify(calls) === '[false,true]', `expected a keychain try then a session-only save, got ${JSON.stringify(calls)}`);
});

test('demo button enters the app', async ({ page, base }) => {
  await open(page, base, 'fresh');
  await shot(page, 'onboarding');
  await page.click('text=Try the demo');
  await page.waitForSelector('[data-testid=file-list] .row[data-key]');
  assert(await row(page, 'Documents').count() === 1, 'demo root lists Documents');
});

// ——— browsing ———

test('browse: open folders, breadcrumbs, back and forward, sort, filter', async ({ page, base }) => {
  await open(page, base);
  await row(page, 'Documents').dblclick();
  await until(() => row(page, 'contract-signed.pdf').count(), 'Documents content listed');
  const crumbs = await page.locator('nav[aria-label="Folder path"] button').allTextContents();
  assert(JSON.stringify(crumbs) === '["My files","Documents"]', `breadcrumbs: ${crumbs}`);
  await row(page, 'Work').dblclick();
  await until(() => row(page, 'roadmap.csv').count(), 'Work content listed');
  await page.click('button[aria-label="Back"]');
  await until(() => row(page, 'contract-signed.pdf').count(), 'back to Documents');
  await page.click('button[aria-label="Forward"]');
  await until(() => row(page, 'roadmap.csv').count(), 'forward to Work');
  await page.locator('nav[aria-label="Folder path"] button', { hasText: 'My files' }).click();
  await until(() => row(page, 'README.txt').count(), 'breadcrumb to root');

  // Sorting by size, largest first: folders stay on top, then the biggest file.
  await page.click('button[aria-label="Sort by Size"]');
  const bySize = await rowNames(page);
  const firstFile = bySize.find((n) => n.includes('.'));
  assert(firstFile === 'backup-laptop.zip', `largest file first, got ${firstFile}`);
  await page.click('button[aria-label="Sort by Size"]');
  const bySizeAsc = await rowNames(page);
  assert(bySizeAsc.find((n) => n.includes('.')) === 'README.txt', 'smallest file first after toggling');

  // Filter by extension.
  await page.fill('#filter-box', '.pdf');
  await until(async () => {
    const names = await rowNames(page);
    return names.length === 2 && names.every((n) => n.endsWith('.pdf'));
  }, 'filter keeps only the two PDFs');
  // The count says how many of the folder's items are shown.
  await until(async () => (await page.textContent('[data-testid=item-count]')) === '2 of 14 items', 'filtered count "2 of 14 items"');
  await page.fill('#filter-box', 'zzz-nothing');
  await until(async () => (await page.textContent('[data-testid=file-list]')).includes('Nothing matches'), 'empty filter state');
  await page.fill('#filter-box', '');
});

test('select with click, ctrl, shift, keyboard and Ctrl+A', async ({ page, base }) => {
  await open(page, base);
  await page.click('button[aria-label="Sort by Name"]'); // keep a known order (descending)
  await page.click('button[aria-label="Sort by Name"]'); // ascending again
  const names = await rowNames(page);
  await row(page, names[0]).click();
  assert(await selectedCount(page) === 1, 'one row selected');
  await row(page, names[2]).click({ modifiers: ['Control'] });
  assert(await selectedCount(page) === 2, 'ctrl adds a row');
  await row(page, names[5]).click({ modifiers: ['Shift'] });
  // Shift extends from the anchor (the ctrl-clicked row, index 2) to index 5.
  assert(await selectedCount(page) === 4, `shift selects a range, got ${await selectedCount(page)}`);
  await page.keyboard.press('Escape');
  assert(await selectedCount(page) === 0, 'escape clears');
  await page.focus('[data-testid=file-list]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  const sel = await page.$$eval('[data-testid=file-list] .row[aria-selected=true] .name', (e) => e.map((x) => x.textContent));
  assert(sel.length === 2 && sel.includes(names[1]) && sel.includes(names[2]), `keyboard selection: ${sel}`);
  await page.keyboard.press('Control+a');
  assert(await selectedCount(page) === names.length, 'Ctrl+A selects every visible row');
  const status = await page.textContent('footer.status');
  assert(status.includes(`${names.length} selected`), `status shows the selection: ${status}`);
});

test('rename with F2', async ({ page, base }) => {
  await open(page, base);
  await row(page, 'README.txt').click();
  await page.keyboard.press('F2');
  await page.waitForSelector('[data-testid=dialog] input');
  assert(await page.inputValue('[data-testid=dialog] input') === 'README.txt', 'dialog starts with the current name');
  // The name is selected without its extension, as file managers do.
  await until(async () => JSON.stringify(await page.$eval('[data-testid=dialog] input', (i) => [i.selectionStart, i.selectionEnd])) === '[0,6]',
    'only "README" selected');
  // A refused name keeps the dialog, the text and says why next to the field.
  const long = 'x'.repeat(300) + '.txt';
  await page.fill('[data-testid=dialog] input', long);
  await page.keyboard.press('Enter');
  await until(async () => (await page.textContent('[data-testid=dialog] .invalid') ?? '').includes('250 characters'), 'the reason shown in the dialog');
  assert(await page.inputValue('[data-testid=dialog] input') === long, 'what was typed is kept');
  // An empty name can't be saved.
  await page.fill('[data-testid=dialog] input', '   ');
  assert(await page.isDisabled('[data-testid=dialog] button[type=submit]'), 'Save disabled on a blank name');
  await page.fill('[data-testid=dialog] input', 'READ-ME-FIRST.txt');
  await page.keyboard.press('Enter');
  await until(() => row(page, 'READ-ME-FIRST.txt').count(), 'renamed row shown');
  assert(await row(page, 'README.txt').count() === 0, 'old name gone');
  const call = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'rename_file').pop());
  assert(call && call.args.filename === 'READ-ME-FIRST.txt' && call.args.url.startsWith('https://1fichier.com/?'), 'rename_file called with the file URL');
});

test('delete asks for confirmation; cancel keeps, confirm removes', async ({ page, base }) => {
  await open(page, base);
  await row(page, 'invoice-2024-03.pdf').click();
  await page.keyboard.press('Delete');
  await page.waitForSelector('[data-testid=dialog]');
  assert((await page.textContent('[data-testid=dialog] h2')).includes('invoice-2024-03.pdf'), 'confirmation names the file');
  // The confirmation starts on Cancel: Enter keeps the file.
  await until(() => page.evaluate(() => document.activeElement?.textContent?.trim() === 'Cancel'), 'focus on Cancel');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=dialog]', { state: 'detached' });
  assert(await row(page, 'invoice-2024-03.pdf').count() === 1, 'Enter on the confirmation keeps the file');
  await page.keyboard.press('Delete');
  await page.waitForSelector('[data-testid=dialog]');
  // White on the red button reads at 4.5:1 or more, in this theme and the dark one.
  for (const theme of ['light', 'dark']) {
    const ratio = await page.evaluate((th) => {
      document.documentElement.dataset.theme = th;
      const bg = getComputedStyle(document.querySelector('[data-testid=dialog] button.danger')).backgroundColor;
      const [r, g, b] = bg.match(/\d+/g).map(Number).map((c) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      return 1.05 / (lum + 0.05);
    }, theme);
    assert(ratio >= 4.5, `delete button contrast in ${theme}: ${ratio.toFixed(2)}:1`);
  }
  await page.evaluate(() => { document.documentElement.dataset.theme = 'system'; });
  await page.click('[data-testid=dialog] button:has-text("Cancel")');
  await page.waitForSelector('[data-testid=dialog]', { state: 'detached' });
  assert(await row(page, 'invoice-2024-03.pdf').count() === 1, 'cancel keeps the file');
  // Through the context menu this time.
  await row(page, 'invoice-2024-03.pdf').click({ button: 'right' });
  await page.click('[data-testid=context-menu] button:has-text("Delete")');
  await page.click('[data-testid=dialog] button.danger');
  await until(async () => (await row(page, 'invoice-2024-03.pdf').count()) === 0, 'deleted row gone');
  // A non-empty folder cannot be deleted: the toast is chosen from the error code.
  await row(page, 'Documents').click();
  await page.keyboard.press('Delete');
  await page.click('[data-testid=dialog] button.danger');
  await until(async () => (await page.textContent('[data-testid=toasts]')).includes('Only empty folders can be deleted'), 'folder_not_empty toast');
});

test('new folder and move by dragging a row onto a folder', async ({ page, base }) => {
  await open(page, base);
  await page.click('button:has-text("New folder")');
  await page.fill('[data-testid=dialog] input', 'Inbox');
  await page.keyboard.press('Enter');
  await until(() => row(page, 'Inbox').count(), 'new folder listed');
  const src = await row(page, 'README.txt').boundingBox();
  const dst = await row(page, 'Inbox').boundingBox();
  await page.mouse.move(src.x + 60, src.y + src.height / 2);
  await page.mouse.down();
  await page.mouse.move(src.x + 80, src.y + 30, { steps: 4 });
  await page.mouse.move(dst.x + 60, dst.y + dst.height / 2, { steps: 8 });
  assert(await page.locator('[data-testid=file-list] .row.drop').count() === 1, 'target folder lights up');
  await page.mouse.up();
  await until(async () => (await row(page, 'README.txt').count()) === 0, 'moved file leaves the list');
  const call = await page.evaluate(() => window.__harness.calls.find((c) => c.cmd === 'move_files'));
  assert(call && call.args.urls.length === 1, 'move_files called');
  await row(page, 'Inbox').dblclick();
  await until(() => row(page, 'README.txt').count(), 'file is in the destination');
});
