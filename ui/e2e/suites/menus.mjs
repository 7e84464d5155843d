// The browser suite's context menus and keyboard: menu widths and highlights, Shift+F10,
// the way back up, the tree as one Tab stop, focus rings.
import { assert, until } from '../lib.mjs';
import { suite, open, row, rowNames, selectedCount, screen, navTo, setLanguage, enter } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— context menus ———

const menuBox = (page) => page.$eval('[data-testid=context-menu]', (m) => {
  const r = m.getBoundingClientRect();
  const cut = [...m.querySelectorAll('.label')].filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent);
  return { w: r.width, left: r.left, top: r.top, bottom: r.bottom, cut };
});
/** Menu items drawn highlighted (their background differs from the menu's). */
const highlighted = (page) => page.$$eval('[data-testid=context-menu] [role=menuitem]', (items) => {
  const menuBg = getComputedStyle(items[0].closest('[role=menu]')).backgroundColor;
  return items.filter((b) => { const bg = getComputedStyle(b).backgroundColor; return bg !== 'rgba(0, 0, 0, 0)' && bg !== menuBg; }).map((b) => b.textContent.trim());
});

test('context menus: a sensible width, one highlight, no row tooltip over them, Shift+F10 on the selection', async ({ page, base }) => {
  await open(page, base);
  // A name too long for its column gets a tooltip; a short one doesn't.
  await page.evaluate(async () => {
    const f = window.__harness.fake;
    const iso = (await f.listFolder(0)).files.find((x) => x.filename.startsWith('debian'));
    await f.renameFile(iso.url, 'debian-12.5.0-amd64-netinst-with-nonfree-firmware-for-the-office-laptops-and-the-old-desktop.iso');
  });
  await page.click('button[aria-label="Refresh"]');
  const longName = 'debian-12.5.0-amd64-netinst-with-nonfree-firmware-for-the-office-laptops-and-the-old-desktop.iso';
  await row(page, longName).waitFor();
  await row(page, longName).locator('.name').hover();
  await until(async () => (await row(page, longName).locator('.name').getAttribute('title')) === longName, 'a cut name has its tooltip');
  await row(page, 'README.txt').locator('.name').hover();
  assert(await row(page, 'README.txt').locator('.name').getAttribute('title') === null, 'a name that fits has no tooltip');

  for (const lang of ['en', 'fr']) {
    if (lang === 'fr') { await setLanguage(page, 'fr'); await navTo(page, 'files'); }
    for (const name of ['README.txt', 'Documents']) {
      await row(page, name).click({ button: 'right' });
      await page.waitForSelector('[data-testid=context-menu]');
      const box = await menuBox(page);
      assert(box.w >= 200 && box.w <= 290, `${lang} menu for ${name} is ${box.w} px wide`);
      assert(box.cut.length === 0, `${lang} labels fit: ${box.cut}`);
      // No tooltip of the list stays over the menu.
      assert(await page.locator('[data-testid=file-list] [title]').count() === 0, `${lang}: no tooltip in the list while the menu is open`);
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=context-menu]', { state: 'detached' });
    }
  }
  await setLanguage(page, 'en');
  await navTo(page, 'files');

  // One highlight: the pointer moves the keyboard focus.
  await row(page, 'README.txt').click({ button: 'right' });
  await page.waitForSelector('[data-testid=context-menu]');
  const items = page.locator('[data-testid=context-menu] [role=menuitem]');
  await items.nth(3).hover();
  await until(async () => JSON.stringify(await highlighted(page)) === JSON.stringify([(await items.nth(3).textContent()).trim()]), 'only the hovered item is highlighted');
  await screen(page, 'fix-menu-one-highlight');
  await page.keyboard.press('ArrowDown');
  const hl = await highlighted(page);
  assert(hl.length === 1 && hl[0] === (await items.nth(4).textContent()).trim(), `the arrow moves on from the hovered item: ${hl}`);
  await page.keyboard.press('Escape');

  // Shift+F10 and the ContextMenu key open the menu of the selected rows, at the row.
  for (const key of ['Shift+F10', 'ContextMenu']) {
    await row(page, 'README.txt').click();
    await page.keyboard.press(key);
    await page.waitForSelector('[data-testid=context-menu]');
    await page.waitForTimeout(100);
    assert(await selectedCount(page) === 1, `${key} keeps the selection`);
    const text = await page.textContent('[data-testid=context-menu]');
    assert(text.includes('Rename') && text.includes('Download'), `${key} opens the row's menu: ${text}`);
    const r = await row(page, 'README.txt').boundingBox();
    const m = await menuBox(page);
    // Under the row, or above it when there is no room below.
    const below = m.top >= r.y && m.top <= r.y + r.height + 8;
    const above = Math.abs(m.bottom - r.y) <= 8;
    assert((below || above) && m.left >= r.x, `${key}: the menu at the row (${JSON.stringify(m)} vs ${JSON.stringify(r)})`);
    if (key === 'Shift+F10') await screen(page, 'fix-menu-shift-f10');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=context-menu]', { state: 'detached' });
  }
  await row(page, 'invoice-2024-03.pdf').click({ modifiers: ['Control'] });
  await page.keyboard.press('Shift+F10');
  await page.waitForSelector('[data-testid=context-menu]');
  await page.waitForTimeout(100);
  assert(await selectedCount(page) === 2, 'Shift+F10 keeps a multiple selection');
  assert(!(await page.textContent('[data-testid=context-menu]')).includes('Rename'), 'the menu is for both rows');
});

// ——— keyboard ———

/** What shows the focus on the focused element: a ring (not cut by a parent) or a shadow. */
const focusIndicator = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const name = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}[${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}]`;
  for (const c of [el, el.parentElement, el.firstElementChild].filter(Boolean)) {
    const s = getComputedStyle(c);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
      const grow = parseFloat(s.outlineOffset || '0') + parseFloat(s.outlineWidth);
      const r = c.getBoundingClientRect();
      for (let a = c.parentElement; a && a !== document.body; a = a.parentElement) {
        const as = getComputedStyle(a);
        if (as.overflowX === 'visible' && as.overflowY === 'visible') continue;
        const ar = a.getBoundingClientRect();
        if (r.left - grow < ar.left - 0.5 || r.top - grow < ar.top - 0.5 || r.right + grow > ar.right + 0.5 || r.bottom + grow > ar.bottom + 0.5) {
          return { name, ok: false, why: `ring cut by .${a.className.split(' ')[0]}` };
        }
      }
      return { name, ok: true };
    }
    if (s.boxShadow !== 'none') return { name, ok: true };
  }
  return { name, ok: false, why: 'no focus ring' };
});

test('keyboard: up re-selects where you came from, the tree is one Tab stop, focus rings show, shift-click selects no text', async ({ page, base }) => {
  await open(page, base);
  await enter(page, 'Documents');
  await enter(page, 'Work');
  await page.focus('[data-testid=file-list]');
  const selectedName = () => page.$$eval('[data-testid=file-list] .row[aria-selected=true] .name', (e) => e.map((x) => x.textContent));
  const focusedRow = () => page.evaluate(() => {
    const grid = document.activeElement;
    const id = grid?.getAttribute('aria-activedescendant');
    return grid?.dataset.testid === 'file-list' && id ? document.getElementById(id)?.querySelector('.name')?.textContent : null;
  });
  await page.keyboard.press('Backspace');
  await until(async () => JSON.stringify(await selectedName()) === '["Work"]', 'Backspace: Work selected in Documents');
  assert(await focusedRow() === 'Work', 'and focused');
  await page.keyboard.press('Alt+ArrowUp');
  await until(async () => JSON.stringify(await selectedName()) === '["Documents"]', 'Alt+Up: Documents selected in My files');
  assert(await focusedRow() === 'Documents', 'and focused');
  await page.keyboard.press('Enter');
  await until(() => row(page, 'contract-signed.pdf').count(), 'Enter opens Documents');
  await page.locator('nav[aria-label="Folder path"] button', { hasText: 'My files' }).click();
  await until(async () => JSON.stringify(await selectedName()) === '["Documents"]', 'breadcrumb: Documents selected');
  await until(async () => (await focusedRow()) === 'Documents', 'and the list has the focus');

  // The folder tree: one Tab stop, arrows inside.
  await page.focus('.sidebar .nav-item >> nth=0');
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.activeElement?.getAttribute('role')) === 'treeitem', 'Tab enters the tree');
  assert(await page.locator('[role=tree] [tabindex="0"], [role=tree] button:not([tabindex="-1"])').count() === 1, 'one tabbable element in the tree');
  await page.keyboard.press('Tab');
  assert((await page.evaluate(() => document.activeElement?.textContent)).includes('Transfers'), 'the next Tab leaves the tree');
  await page.keyboard.press('Shift+Tab');
  const current = () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'treeitem'
    ? document.getElementById(document.activeElement.getAttribute('aria-labelledby'))?.textContent : null);
  assert(await current() === 'My files', `back in the tree, on the current folder (${await current()})`);
  await page.keyboard.press('ArrowDown');
  assert(await current() === 'Documents', `ArrowDown: ${await current()}`);
  await page.keyboard.press('ArrowRight');
  await until(() => page.evaluate(() => document.activeElement?.getAttribute('aria-expanded') === 'true'), 'ArrowRight expands');
  await page.keyboard.press('ArrowRight');
  await until(async () => (await current()) === 'Work', 'ArrowRight again: the first child');
  await screen(page, 'fix-tree-focus');
  await page.keyboard.press('Enter');
  await until(() => row(page, 'roadmap.csv').count(), 'Enter opens Work');
  assert(await current() === 'Work', 'the focus stays in the tree');
  await page.keyboard.press('ArrowLeft');
  assert(await current() === 'Documents', 'ArrowLeft: the parent');
  await page.keyboard.press('ArrowLeft');
  await until(() => page.evaluate(() => document.activeElement?.getAttribute('aria-expanded') === 'false'), 'ArrowLeft collapses');
  await page.keyboard.press('Home');
  assert(await current() === 'My files', 'Home: the root');
  await page.keyboard.press('End');
  assert(await current() === 'Videos', `End: the last folder (${await current()})`);

  // Each Tab stop of the files view shows where the focus is, uncut.
  await navTo(page, 'files');
  await row(page, 'roadmap.csv').click();
  await page.focus('.sidebar .nav-item >> nth=0');
  const problems = [];
  const visited = [];
  for (let i = 0; i < 26; i++) {
    await page.keyboard.press('Tab');
    const f = await focusIndicator(page);
    visited.push(f.name);
    if (!f.ok) problems.push(`${f.name}: ${f.why}`);
  }
  assert(problems.length === 0, `focus not shown: ${problems.join('; ')}`);
  // Among them the tree, the filter, the column headers, the list and the panel toggle.
  for (const stop of ['li[', 'input#filter-box', 'button[Sort by Name]', 'button[Sort by Type]', 'div[Files in', 'button[Details panel]']) {
    assert(visited.some((v) => v.startsWith(stop)), `Tab reaches ${stop}: ${visited.join(', ')}`);
  }

  // Shift-click selects rows, never their text (even where the engine ignores user-select).
  await navTo(page, 'files');
  await page.addStyleTag({ content: '[data-testid=file-list] .row { user-select: text !important; -webkit-user-select: text !important; }' });
  await page.locator('nav[aria-label="Folder path"] button', { hasText: 'My files' }).click();
  await until(() => row(page, 'README.txt').count(), 'root listed');
  const names = await rowNames(page);
  await row(page, names[1]).click();
  await row(page, names[6]).click({ modifiers: ['Shift'] });
  assert(await selectedCount(page) === 6, `shift-click selects the range (${await selectedCount(page)})`);
  const text = await page.evaluate(() => getSelection().toString());
  assert(text === '', `no text selected: ${JSON.stringify(text)}`);
});
