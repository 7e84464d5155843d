// The browser suite's memory test: views left open release their listeners, timers and
// memory.
import { assert, until } from '../lib.mjs';
import { suite, open, row, VIEWS, accountMenu, openAccountMenu } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— memory ———

/**
 * Counts the timers the page has armed and not yet seen fire or cleared: intervals (which
 * never end by themselves, so one left behind by a view is a leak) and pending timeouts and
 * animation frames (a loop that re-arms itself shows as a count that keeps rising). Installed
 * before the app's scripts run.
 */
function timerProbe() {
  const intervals = new Set();
  const timeouts = new Set();
  const frames = new Set();
  const w = window;
  const { setInterval: si, clearInterval: ci, setTimeout: st, clearTimeout: ct } = w;
  const raf = w.requestAnimationFrame.bind(w);
  const caf = w.cancelAnimationFrame.bind(w);
  // Interval and timeout ids share one pool: either clear function cancels either kind.
  const forget = (id) => { intervals.delete(id); timeouts.delete(id); };
  w.setInterval = function (...args) {
    const id = si.apply(this, args);
    intervals.add(id);
    return id;
  };
  w.setTimeout = function (fn, ...rest) {
    let id;
    const run = typeof fn === 'function' ? function (...a) { timeouts.delete(id); return fn.apply(this, a); } : fn;
    id = st.call(this, run, ...rest);
    timeouts.add(id);
    return id;
  };
  w.clearInterval = function (id) { forget(id); return ci.call(this, id); };
  w.clearTimeout = function (id) { forget(id); return ct.call(this, id); };
  w.requestAnimationFrame = (fn) => {
    let id;
    id = raf((t) => { frames.delete(id); fn(t); });
    frames.add(id);
    return id;
  };
  w.cancelAnimationFrame = (id) => { frames.delete(id); caf(id); };
  Object.defineProperty(w, '__timers', {
    value: () => ({ intervals: intervals.size, timeouts: timeouts.size, frames: frames.size }),
  });
}

/** Where each main view has drawn its content (the view's own marker). */
const VIEW_READY = {
  files: '[data-testid=file-list] .row[data-key]',
  transfers: '[data-testid=transfer-list] [data-transfer]',
  remote: '#remote-urls',
  links: '[data-testid=links-text]',
  backups: '[data-testid=backup-add]',
  serve: '[data-testid=serve-state]',
  account: '[data-testid=offer]',
  settings: '#set-lang',
};

/**
 * One visit to every main view, using what each one sets up when it opens. Waits go
 * through locators: `page.waitForSelector` returns an element handle that keeps the view
 * it was found in alive, which this test would count as a leak of the app.
 */
async function visitEveryView(page, linksText) {
  for (const view of VIEWS) {
    await page.click(`.sidebar .nav-item[data-view=${view}]`);
    await page.locator(VIEW_READY[view]).first().waitFor();
    if (view === 'files') {
      // The details panel (its delayed read), a context menu, the account menu.
      await row(page, 'README.txt').click();
      await page.locator('[data-testid=info-panel]').waitFor();
      await row(page, 'README.txt').click({ button: 'right' });
      await page.locator('[data-testid=context-menu]').waitFor();
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=context-menu]').waitFor({ state: 'detached' });
      await openAccountMenu(page);
      await page.keyboard.press('Escape');
      await accountMenu(page).waitFor({ state: 'detached' });
      await row(page, 'README.txt').click();
      await page.keyboard.press('F2');
      await page.locator('[data-testid=dialog] input').waitFor();
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=dialog]').waitFor({ state: 'detached' });
    } else if (view === 'backups') {
      await page.click('[data-testid=backup-add]');
      await page.locator('[data-testid=backup-editor]').waitFor();
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=backup-editor]').waitFor({ state: 'detached' });
    } else if (view === 'links') {
      // The same text each time: its results replace the last ones.
      await page.fill('#links-text', linksText);
      await page.click('[data-testid=links-check]');
      await page.locator('[data-testid=links-results] tbody tr').first().waitFor();
    } else if (view === 'transfers') {
      await page.click('[role=tab]:has-text("History")');
      await page.click('[role=tab]:has-text("Active")');
      await page.locator(VIEW_READY.transfers).first().waitFor();
    }
    // Long enough for each view's first reads and timers to start.
    await page.waitForTimeout(60);
  }
}

test('views left open release their listeners, timers and memory', async ({ page, base }) => {
  await page.addInitScript(timerProbe);
  // Slow uploads: they report progress through the whole test and none finishes.
  await open(page, base, 'signedIn&speed=100000');
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/big-video.mp4', '/home/u/album.flac', '/home/u/photos.zip', '/home/u/conference.mkv']));
  await until(() => page.locator('[data-testid=total-progress]').evaluate((e) => /\d+ active/.test(e.textContent)), 'uploads under way');
  const urls = await page.evaluate(async () => (await window.__harness.fake.listFolder(0)).files.map((f) => f.url));
  const linksText = `${urls.join('\n')}\nmegadl.fr/?gone12345`;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.enable');

  const WARM_UP = 3;
  const ROUNDS = 15;
  const measure = async () => {
    // The same place each time (the files), once what the last view started has settled.
    await page.click('.sidebar .nav-item[data-view=files]');
    await page.locator(VIEW_READY.files).first().waitFor();
    // Svelte's event delegation gives each delegated event a `currentTarget` getter, and
    // V8 keeps the last such getter of a kind of event in the event's map cache, with the
    // element it pointed at: after Escape closed a dialog, that one closed dialog stays
    // reachable (a heap snapshot's retainer path: KeyboardEvent (internal cache) → map →
    // descriptors → get → the dialog). It is one tree at most, never more with more visits,
    // so a key pressed on the sidebar (which lives as long as the window) points that cache
    // at a live element before each measure, the same way both times.
    await page.keyboard.press('Shift');
    await page.waitForTimeout(400);
    // The harness's log of IPC calls is the test's, not the app's.
    await page.evaluate(() => { window.__harness.calls.length = 0; });
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    const timers = await page.evaluate(() => window.__timers());
    return { heap: m.JSHeapUsedSize / 2 ** 20, nodes: m.Nodes, listeners: m.JSEventListeners, documents: m.Documents, ...timers };
  };

  for (let i = 0; i < WARM_UP; i++) await visitEveryView(page, linksText);
  const before = await measure();
  for (let i = 0; i < ROUNDS; i++) await visitEveryView(page, linksText);
  const after = await measure();

  const cols = ['heap MiB', 'DOM nodes', 'listeners', 'documents', 'intervals', 'timeouts', 'frames'];
  const cells = (r) => [r.heap.toFixed(2), r.nodes, r.listeners, r.documents, r.intervals, r.timeouts, r.frames];
  const line = (label, values) => `       ${label.padEnd(22)}${values.map((v, i) => String(v).padStart(cols[i].length + 2)).join('')}`;
  console.log(line('', cols));
  console.log(line(`after ${WARM_UP} warm-up rounds`, cells(before)));
  console.log(line(`after ${ROUNDS} more rounds`, cells(after)));

  // Each round opens and closes every view (and a few menus and dialogs); whatever one of
  // them leaves behind is counted 15 times over, so each slack is below one round's worth
  // of leak. Listeners: a toast or a read under way at that moment may hold a few. DOM
  // nodes: the same screen, give or take a toast or a line of a transfer (2 %); one view
  // kept alive holds hundreds. Intervals: not one more, ever. Heap, after forced
  // collections: it still grows by about 1 MiB here, which a heap snapshot shows to be
  // V8's compiled code and type feedback for the paths now run often, not objects of the
  // app; 2 MiB over 15 rounds is far less than views or caches kept alive would hold.
  const problems = [];
  if (after.listeners > before.listeners + 5) problems.push(`event listeners ${before.listeners} → ${after.listeners}`);
  if (after.nodes > before.nodes * 1.02 + 20) problems.push(`DOM nodes ${before.nodes} → ${after.nodes}`);
  if (after.intervals > before.intervals) problems.push(`live intervals ${before.intervals} → ${after.intervals}`);
  if (after.timeouts > before.timeouts + 5) problems.push(`pending timeouts ${before.timeouts} → ${after.timeouts}`);
  if (after.frames > before.frames + 2) problems.push(`pending animation frames ${before.frames} → ${after.frames}`);
  if (after.documents > before.documents) problems.push(`documents ${before.documents} → ${after.documents}`);
  if (after.heap - before.heap > 2) problems.push(`JS heap ${before.heap.toFixed(2)} → ${after.heap.toFixed(2)} MiB`);
  assert(problems.length === 0, `after ${ROUNDS} rounds of every view: ${problems.join('; ')}`);
  await cdp.detach();
});
