// The browser suite's every view at 880×600 and 1280×800, light and dark, English and
// French: screenshots and the layout check.
import { join } from 'node:path';
import { assert, ensureDir } from '../lib.mjs';
import { suite, open, row, setTheme, navTo, setLanguage, closeAddAccount, openAccountMenu, linksChecked, uploadWarningOpen, serveWithStreams, layoutProblems, shots } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— every view at the smallest and a common size ———

test('screens: every view at 880×600 and 1280×800, light and dark, English and French', async ({ page, base }) => {
  const dir = await ensureDir(join(shots, 'screens'));
  await open(page, base, 'signedIn&speed=200000');
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/big-video.mp4', '/home/u/notes.txt', '/home/u/unstable-link.iso']));
  const states = [
    ['files', async () => {
      await closeAddAccount(page);
      await navTo(page, 'files');
      await row(page, 'holiday-video.mp4').click();
      // The details overlay of the small window opens in the next state.
      if (await page.locator('.info.overlay').count()) await page.click('[data-testid=info-toggle]');
    }],
    ['files-details', async () => {
      if (await page.locator('[data-testid=info-panel]').count() === 0) await page.click('[data-testid=info-toggle]');
      await page.locator('[data-testid=info-panel]').waitFor();
    }],
    ['files-menu', async () => { await row(page, 'holiday-video.mp4').click({ button: 'right' }); await page.waitForSelector('[data-testid=context-menu]'); }],
    ['files-move', async () => {
      await page.locator('[data-testid=context-menu] [role=menuitem]').nth(3).click(); // Move to… (after the separator)
      await page.locator('[data-testid=dialog] [role=option]').first().waitFor();
    }],
    ['transfers', async () => { await page.keyboard.press('Escape'); await navTo(page, 'transfers'); await page.locator('[data-transfer]').first().waitFor(); }],
    ['remote', async () => { await navTo(page, 'remote'); await page.waitForSelector('#remote-urls'); }],
    ['links', async () => { await linksChecked(page); }],
    ['backups', async () => { await navTo(page, 'backups'); await page.locator('[data-backup]').first().waitFor(); }],
    ['serve', async () => { await serveWithStreams(page); await navTo(page, 'serve'); await page.locator('[data-testid=serve-streams] tbody tr').first().waitFor(); }],
    ['account', async () => { await navTo(page, 'account'); await page.waitForSelector('[data-testid=offer]'); await page.locator('[data-testid=ftp-list] tbody tr').first().waitFor(); }],
    ['upload-warning', async () => { await uploadWarningOpen(page); }],
    ['settings', async () => {
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=upload-time-warning]').waitFor({ state: 'detached' });
      await navTo(page, 'settings');
      await page.waitForSelector('#set-lang');
    }],
    ['accounts-menu', async () => { await openAccountMenu(page); }],
    ['accounts-add', async () => {
      await page.click('[data-testid=add-account]');
      await page.locator('[data-testid=add-account-dialog]').waitFor();
    }],
  ];
  const problems = [];
  for (const lang of ['en', 'fr']) {
    await closeAddAccount(page);
    await setLanguage(page, lang);
    for (const [w, h] of [[880, 600], [1280, 800]]) {
      await page.setViewportSize({ width: w, height: h });
      for (const [name, reach] of states) {
        await reach();
        await page.waitForTimeout(80);
        for (const theme of ['light', 'dark']) {
          await setTheme(page, theme);
          await page.screenshot({ path: join(dir, `${name}-${w}x${h}-${theme}-${lang}.png`) });
        }
        for (const p of await layoutProblems(page)) problems.push(`${name} ${w}×${h} ${lang}: ${p}`);
      }
    }
  }
  await setTheme(page, 'system');
  assert(problems.length === 0, `layout:\n    ${[...new Set(problems)].join('\n    ')}`);
});
