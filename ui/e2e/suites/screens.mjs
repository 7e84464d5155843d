// The browser suite's screenshots of the remaining screens (remote upload's jobs made
// elsewhere, the browser, the account), and the small window (880×600).
import { assert, until } from '../lib.mjs';
import { suite, open, row, screen, shot, navTo, setLanguage, enter } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— screenshots of the remaining screens ———

test('remote upload: the account\'s jobs made elsewhere are listed; a failed one is retried or removed', async ({ page, base }) => {
  await open(page, base);
  await page.click('nav[aria-label="Main navigation"] button:has-text("Remote upload")');
  const old = page.locator('[data-testid=remote-job]:has-text("3100007")');
  await old.waitFor();
  assert(/debian-12\.5\.0/.test(await old.textContent()), 'the web console\'s job and its URLs');
  await old.locator('button:has-text("Retry what failed")').click();
  await until(async () => (await old.count()) === 0, 'the retried job leaves the list');
  const again = page.locator('[data-testid=remote-job]').first();
  await until(async () => /old\.example\.net\/missing\/archive\.tar/.test(await again.textContent()), 'a new job for the failed URL only');
  assert(!/debian-12/.test(await again.textContent()), 'what worked is not asked again');
  // Once it has run and failed again, it can be taken off the list.
  await until(async () => (await again.locator('button:has-text("Remove from the list")').count()) === 1, 'the new job failed too', 8000);
  await again.locator('button:has-text("Remove from the list")').click();
  await until(async () => (await page.locator('[data-testid=remote-job]').count()) === 0, 'removed');
  // Coming back does not bring it back.
  await page.click('nav[aria-label="Main navigation"] button:has-text("Files")');
  await page.click('nav[aria-label="Main navigation"] button:has-text("Remote upload")');
  await page.waitForTimeout(300);
  assert((await page.locator('[data-testid=remote-job]').count()) === 0, 'forgotten for good');
});

test('screens: browser, remote upload, account', async ({ page, base }) => {
  await open(page, base);
  await row(page, 'holiday-video.mp4').click();
  await page.waitForTimeout(300);
  await shot(page, 'browser');
  await page.click('nav[aria-label="Main navigation"] button:has-text("Remote upload")');
  await page.fill('#remote-urls', 'https://example.org/files/dataset.zip\nhttps://example.org/missing-404.bin');
  await page.click('button:has-text("Send to 1fichier")');
  const job = page.locator('[data-testid=remote-job]').first();
  await job.waitFor();
  await until(async () => /Added/.test(await job.textContent()) && /Failed/.test(await job.textContent()), 'remote results shown', 8000);
  await shot(page, 'remote-upload');
  await page.click('nav[aria-label="Main navigation"] button:has-text("Account")');
  await until(async () => (await page.textContent('[data-testid=offer]').catch(() => ''))?.includes('Premium'), 'account offer shown');
  await shot(page, 'account');
});

// ——— small windows ———

test('small window (880×600): narrower sidebar, details as an overlay, "…" in a long path, all columns', async ({ page, base }) => {
  await page.setViewportSize({ width: 880, height: 600 });
  await open(page, base);
  await page.evaluate(async () => {
    const f = window.__harness.fake;
    let parent = 22692435; // Documents › Work
    for (const name of ['Projects 2025', 'Client Alpha', 'Deliverables']) parent = (await f.createFolder(parent, name)).id;
  });
  const widths = await page.evaluate(() => ({
    sidebar: document.querySelector('.sidebar').getBoundingClientRect().width,
    list: document.querySelector('[data-testid=file-list]').getBoundingClientRect().width,
  }));
  assert(widths.sidebar <= 200, `the sidebar narrows (${widths.sidebar} px)`);
  assert(widths.list >= 560, `the list keeps the room (${widths.list} px)`);
  // Every column header fits in the list.
  const cols = await page.$$eval('[data-testid=file-list-header] [role=columnheader], .list .header [role=columnheader]', (els) => {
    const box = els[0].closest('.header').getBoundingClientRect();
    return els.map((e) => { const r = e.getBoundingClientRect(); return { name: e.textContent.trim(), w: r.width, inside: r.right <= box.right + 0.5 }; });
  });
  assert(cols.length === 4 && cols.every((c) => c.w >= 50 && c.inside), `all four columns shown: ${JSON.stringify(cols)}`);

  // The details panel opens over the list, not beside it, and closes with Escape.
  await row(page, 'README.txt').click();
  await page.click('button[aria-label="Details panel"]');
  const panel = page.locator('[data-testid=info-panel]');
  await panel.waitFor();
  const after = await page.evaluate(() => document.querySelector('[data-testid=file-list]').getBoundingClientRect().width);
  assert(Math.abs(after - widths.list) < 1, `the list keeps its width under the overlay (${after} vs ${widths.list})`);
  assert((await panel.textContent()).includes('README.txt'), 'the overlay shows the selection');
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  assert(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')) === 'Details panel', 'focus back on the toggle');

  // A long path: the middle folders fold into "…", the crumbs that stay are readable.
  for (const name of ['Documents', 'Work', 'Projects 2025', 'Client Alpha', 'Deliverables']) await enter(page, name);
  const crumbs = page.locator('nav[aria-label="Folder path"]');
  const shown = await crumbs.locator('button').evaluateAll((els) => els.map((e) => ({
    text: e.textContent.trim(), w: e.getBoundingClientRect().width, cut: e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).textOverflow !== 'ellipsis',
  })));
  assert(shown.every((c) => c.w >= 24 && !c.cut), `crumbs readable: ${JSON.stringify(shown)}`);
  assert(shown.some((c) => c.text === '…'), `a "…" crumb: ${JSON.stringify(shown)}`);
  assert(shown[shown.length - 1].text === 'Deliverables', 'the current folder is last');
  await crumbs.locator('button:has-text("…")').click();
  const menu = page.locator('[data-testid=context-menu]');
  await menu.waitFor();
  await screen(page, 'fix-breadcrumb-880x600');
  const hidden = (await menu.locator('[role=menuitem]').allTextContents()).map((s) => s.trim());
  assert(hidden.includes('Work'), `the folded folders are in the menu: ${hidden}`);
  await menu.locator('[role=menuitem]', { hasText: 'Work' }).click();
  await until(async () => (await crumbs.locator('[aria-current=location]').textContent()).trim() === 'Work', 'the menu opens Work');

  // Transfers in French: the bandwidth label stays on one line, its dropdown in view.
  await setLanguage(page, 'fr');
  await navTo(page, 'transfers');
  const bw = await page.evaluate(() => {
    const label = document.querySelector('.bw label');
    const select = document.querySelector('.bw select');
    const lines = new Set([...(() => { const r = document.createRange(); r.selectNodeContents(label); return r.getClientRects(); })()].map((q) => Math.round(q.top))).size;
    const s = select.getBoundingClientRect();
    const bar = select.closest('.actions').getBoundingClientRect();
    return { lines, right: s.right, barRight: bar.right, vw: innerWidth };
  });
  assert(bw.lines === 1, `the bandwidth label on one line (${bw.lines})`);
  assert(bw.right <= bw.barRight && bw.right <= bw.vw, `the bandwidth dropdown in view: ${JSON.stringify(bw)}`);
  await setLanguage(page, 'en');
});
