// What the browser suite's tests share (the suites are in suites/, run by run.mjs): where
// screenshots go, each suite's list of tests, opening the harness, the file list's rows,
// themes and screenshots, the main views and the language, toasts, the harness's log of
// calls, the account menu, screens set up for more than one test, and the layout check.
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { until, ensureDir } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const shots = resolve(here, '../../artifacts/ui');

/** A suite's tests, in the order `test(name, fn)` adds them; run.mjs runs the suites in turn. */
export function suite() {
  /** @type {{name: string, fn: (ctx: any) => Promise<void>}[]} */
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  return { tests, test };
}

export const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function open(page, base, query = 'signedIn') {
  await page.goto(`${base}/mock-ipc.html?${query}`);
  // A locator's wait holds no element handle: the first screen is not pinned in memory
  // once the test goes elsewhere (which the memory test would count).
  const ready = query.includes('signedIn') ? '[data-testid=file-list] .row[data-key]' : '#api-key';
  await page.locator(ready).first().waitFor({ timeout: 10000 });
}

export const row = (page, name) =>
  page.locator('[data-testid=file-list] .row[data-key]').filter({ has: page.locator('.name', { hasText: new RegExp(`^${esc(name)}$`) }) });

export const rowNames = (page) => page.$$eval('[data-testid=file-list] .row[data-key] .name', (els) =>
  els.map((e) => ({ name: e.textContent, top: parseFloat(e.closest('.row').style.top) })).sort((a, b) => a.top - b.top).map((x) => x.name));

export const selectedCount = (page) => page.locator('[data-testid=file-list] .row[aria-selected=true]').count();

export async function setTheme(page, theme) {
  await page.evaluate((th) => { document.documentElement.dataset.theme = th; }, theme);
}

/** Both themes of what is on screen, in artifacts/ui/screens/ (the theme is put back). */
export async function screen(page, name) {
  const dir = await ensureDir(join(shots, 'screens'));
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  for (const theme of ['light', 'dark']) {
    await setTheme(page, theme);
    await page.screenshot({ path: join(dir, `${name}-${theme}.png`) });
  }
  await setTheme(page, before);
}

export async function shot(page, name) {
  for (const theme of ['light', 'dark']) {
    await setTheme(page, theme);
    await page.waitForTimeout(60);
    await page.screenshot({ path: join(shots, `${name}-${theme}.png`) });
  }
}

export const VIEWS = ['files', 'transfers', 'remote', 'links', 'backups', 'serve', 'account', 'settings'];

/** A main view's button in the sidebar, in any language. */
export const navTo = async (page, view) => {
  await page.locator('.sidebar .nav-item').nth(VIEWS.indexOf(view)).click();
  await page.waitForTimeout(30);
};

export async function setLanguage(page, lang) {
  await navTo(page, 'settings');
  await page.selectOption('#set-lang', lang);
  await until(() => page.evaluate((l) => document.documentElement.lang === l, lang), `language ${lang}`);
}

/** Opens a folder of the list by its name and waits for its listing. */
export async function enter(page, name) {
  await row(page, name).dblclick();
  await until(async () => (await page.locator('nav[aria-label] [aria-current=location]').textContent())?.trim() === name, `in ${name}`);
  await page.waitForSelector('[data-testid=file-list] .row[data-key], [data-testid=file-list] .empty');
}

export const toastTexts = async (page) => (await page.locator('[data-testid=toasts] .toast').allTextContents()).map((s) => s.trim());

export async function dismissToasts(page) {
  const close = page.locator('[data-testid=toasts] .toast button[aria-label]');
  while (await close.count() > 0) await close.first().click({ timeout: 2000 }).catch(() => {});
}

export const calls = (page, cmd) => page.evaluate((c) => window.__harness.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);

export const switcher = (page) => page.locator('[data-testid=account-switcher]');

export const accountMenu = (page) => page.locator('[data-testid=account-menu]');

/** Closes the add-account dialog when it is open (the last state of the screens). */
export async function closeAddAccount(page) {
  const dialog = page.locator('[data-testid=add-account-dialog]');
  if (await dialog.count() === 0) return;
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}

export async function openAccountMenu(page) {
  if (await accountMenu(page).count() === 0) await switcher(page).click();
  await accountMenu(page).waitFor();
  // Read when it opens: wait for the list.
  await page.locator('[data-testid=add-account]').waitFor();
  await until(async () => (await accountMenu(page).locator('[role=menuitemradio]').count()) > 0, 'accounts listed');
}

/** The link checker with results of every kind (checked once, kept after). */
export async function linksChecked(page) {
  await navTo(page, 'links');
  if (await page.locator('[data-testid=links-results] tbody tr').count() > 0) return;
  const urls = await page.evaluate(async () => (await window.__harness.fake.listFolder(0)).files.map((f) => f.url));
  await page.fill('#links-text', `Mirrors:\n${urls.join('\n')}\nmegadl.fr/?gone12345 privx12345.1fichier.com badlk12345.1fichier.com https://1fichier.com/?oddly12345`);
  await page.click('[data-testid=links-check]');
  await page.locator('[data-testid=links-results] tbody tr').first().waitFor();
}

/** The warning before an upload too long for 1fichier's limit, open (closed with Escape). */
export async function uploadWarningOpen(page) {
  await navTo(page, 'files');
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/raw-footage-80GB.mov', '/home/u/notes-for-the-edit.txt']));
  await page.locator('[data-testid=upload-time-warning]').waitFor();
}

/** The local server on, with a player and a TV reading from it (the harness's fake). */
export const serveWithStreams = (page) => page.evaluate(() => {
  const s = window.__harness.fake.serve;
  if (s.status().running) return;
  s.set({ enabled: true, lan: true, readOnly: false, port: 0 });
  s.addStream('conference-talk.mkv', '127.0.0.1 · VLC/3.0.20 LibVLC/3.0.20', 3_100_000, 612_000_000);
  s.addStream('01 - Overture.flac', '192.168.1.34 · Kodi/21.0 (Linux; Android 12)', 180_000, 9_400_000);
});

/** What a careful eye would flag on the screen as it is: sideways scrolling, text cut
 * without an ellipsis, labels of a toolbar on several lines, controls cut off. */
export const layoutProblems = (page) => page.evaluate(() => {
  const out = [];
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !el.closest('.sr-only') && el.checkVisibility?.({ visibilityProperty: true }) !== false;
  };
  const tag = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].filter((c) => !c.startsWith('svelte-'))[0] ?? ''}[${(el.textContent ?? '').trim().slice(0, 24)}]`;
  // Lines of text (icons aside): tops of its text more than a few pixels apart.
  const lines = (el) => {
    const tops = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim() || n.parentElement.closest('.sr-only')) continue;
      const r = document.createRange();
      r.selectNodeContents(n);
      for (const q of r.getClientRects()) if (q.width > 1) tops.push(q.top);
    }
    tops.sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 6).length;
  };
  for (const el of document.querySelectorAll('.view-body, .toolbar, .view-head, .actions, .sidebar, .main, .dialog, .modal .body, [role=menu]')) {
    if (shown(el) && el.scrollWidth > el.clientWidth + 1) out.push(`scrolls sideways: ${tag(el)} by ${el.scrollWidth - el.clientWidth} px`);
  }
  for (const el of document.querySelectorAll('button, label, select, h1, h2, [role=columnheader], .name, .cell, .chip, .status, .state, .crumb')) {
    if (!shown(el)) continue;
    const s = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && s.textOverflow !== 'ellipsis' && el.tagName !== 'SELECT') {
      // Cut: only an ellipsis may say so. Overflowing a visible box: text spills out.
      const child = [...el.querySelectorAll('*')].some((c) => getComputedStyle(c).textOverflow === 'ellipsis' && c.scrollWidth > c.clientWidth);
      if (!child) out.push(`text cut without "…": ${tag(el)}`);
    }
  }
  for (const el of document.querySelectorAll('.toolbar label, .actions label, .view-head label, .toolbar button, .actions button, .view-head button, .tabs button, .nav-item')) {
    if (shown(el) && lines(el) > 1) out.push(`wraps: ${tag(el)}`);
  }
  for (const el of document.querySelectorAll('button, select, input, textarea')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5 && !el.closest('.scroller, .list, .view-body, nav, .body, ul')) out.push(`off screen: ${tag(el)}`);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const as = getComputedStyle(a);
      if (as.overflowX !== 'hidden' && as.overflowX !== 'clip') continue;
      const ar = a.getBoundingClientRect();
      if (r.right > ar.right + 1 || r.left < ar.left - 1) { out.push(`cut off: ${tag(el)} by ${tag(a)}`); break; }
    }
  }
  return out;
});
