// The browser suite's accessibility test: axe in every view, light and dark.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { assert } from '../lib.mjs';
import { suite, open, row, setTheme, navTo, openAccountMenu, linksChecked, uploadWarningOpen, serveWithStreams } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— accessibility ———

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's violations on the page as it is now, by rule. */
async function axeScan(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // Colours are read once the things fading in (a toast) are there; endless ones
    // (a spinner, a skeleton) are left running.
    await Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity).map((a) => a.finished.catch(() => {})));
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, where: v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ') }));
  });
}

test('accessibility: axe finds nothing serious or critical in any view, light or dark', async ({ page, base }) => {
  await open(page, base, 'signedIn&speed=200000');
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/big-video.mp4', '/home/u/notes.txt']));
  await row(page, 'holiday-video.mp4').click();
  const states = [
    ['Files', async () => { await navTo(page, 'files'); await row(page, 'holiday-video.mp4').waitFor(); }],
    ['Transfers', async () => { await navTo(page, 'transfers'); await page.locator('[data-transfer]').first().waitFor(); }],
    ['Remote upload', async () => { await navTo(page, 'remote'); await page.waitForSelector('#remote-urls'); await page.waitForTimeout(200); }],
    ['Check links', async () => { await linksChecked(page); }],
    ['Backups', async () => { await navTo(page, 'backups'); await page.locator('[data-backup]').first().waitFor(); }],
    ['Stream & mount (off)', async () => { await navTo(page, 'serve'); await page.waitForSelector('[data-testid=serve-switch]:not([disabled])'); }],
    ['Stream & mount', async () => { await serveWithStreams(page); await page.locator('[data-testid=serve-streams] tbody tr').first().waitFor(); }],
    ['Account', async () => { await navTo(page, 'account'); await page.waitForSelector('[data-testid=offer]'); await page.locator('[data-testid=ftp-list] tbody tr').first().waitFor(); }],
    ['Upload time warning', async () => { await uploadWarningOpen(page); }],
    ['Settings', async () => {
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=upload-time-warning]').waitFor({ state: 'detached' });
      await navTo(page, 'settings');
      await page.waitForSelector('#set-lang');
    }],
    ['Dialog', async () => {
      await navTo(page, 'files');
      await row(page, 'README.txt').click({ button: 'right' });
      await page.click('[data-testid=context-menu] [role=menuitem]:has-text("Move to…")');
      await page.locator('[data-testid=dialog] [role=option]').first().waitFor();
    }],
    ['Context menu', async () => {
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=dialog]', { state: 'detached' });
      await row(page, 'README.txt').click({ button: 'right' });
      await page.waitForSelector('[data-testid=context-menu]');
    }],
    ['Account menu', async () => {
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=context-menu]', { state: 'detached' });
      await openAccountMenu(page);
    }],
    ['Add account', async () => {
      await page.click('[data-testid=add-account]');
      await page.locator('[data-testid=add-account-dialog]').waitFor();
    }],
    ['Onboarding', async () => {
      await page.goto(`${base}/mock-ipc.html?fresh`);
      await page.waitForSelector('#api-key');
    }],
  ];
  const failures = [];
  for (const [name, reach] of states) {
    await reach();
    for (const theme of ['light', 'dark']) {
      await setTheme(page, theme);
      await page.waitForTimeout(30);
      const found = await axeScan(page);
      const count = (impact) => {
        const of = found.filter((v) => v.impact === impact);
        const n = of.reduce((sum, v) => sum + v.nodes, 0);
        return n && impact !== 'serious' && impact !== 'critical' ? `${n} ${impact} (${of.map((v) => v.id).join(', ')})` : `${n} ${impact}`;
      };
      console.log(`  axe ${name} (${theme}): ${count('critical')}, ${count('serious')}, ${count('moderate')}, ${count('minor')}`);
      for (const v of found) if (v.impact === 'serious' || v.impact === 'critical') failures.push(`${name}/${theme}: ${v.id} ×${v.nodes} (${v.where})`);
    }
  }
  assert(failures.length === 0, `axe: ${failures.join('; ')}`);
});
