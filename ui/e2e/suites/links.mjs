// The browser suite's link checker (pasted text, dropped files, 5,000 links) and uploads
// that can't finish within 1fichier's 4 hours.
import { assert, until } from '../lib.mjs';
import { suite, open, screen, shot, navTo, calls } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— link checker ———

test('check links: pasted text, each state, the summary, and "Download all available" queues exactly those', async ({ page, base }) => {
  await open(page, base);
  const root = await page.evaluate(async () => (await window.__harness.fake.listFolder(0)).files.map((f) => ({ name: f.filename, url: f.url })));
  const url = (name) => root.find((f) => f.name === name).url;
  await navTo(page, 'links');
  assert(await page.getAttribute('.sidebar .nav-item[data-view=links]', 'aria-current') === 'page', 'in the sidebar');
  assert((await page.textContent('.view-head h1')).trim() === 'Check links', 'the title');
  const check = page.locator('[data-testid=links-check]');
  assert(await check.isDisabled(), 'nothing to check yet');

  // No link: said, nothing shown.
  await page.fill('#links-text', 'Nothing here but https://example.com/?abcde99999');
  await check.click();
  await until(async () => (await page.textContent('[data-testid=links-problem]').catch(() => ''))?.startsWith('No 1fichier link was found in this text.'), 'none found');
  assert(await page.locator('[data-testid=links-results]').count() === 0, 'no results');

  const text = `Hi! The files: ${url('README.txt').replace('https://', '')}&af=3012, ${url('invoice-2024-03.pdf')}\n`
    + `locked one <${url('secret-plans.pdf')}> and old ones megadl.fr/?gone12345 privx12345.1fichier.com\n`
    + `badlk12345.1fichier.com (https://1fichier.com/?oddly12345) again ${url('README.txt')}`;
  await page.fill('#links-text', text);
  await page.evaluate(() => window.__harness.hold('check_links'));
  await check.click();
  await until(async () => (await check.textContent()).trim() === 'Checking…' && await check.isDisabled(), 'busy while checking');
  await page.evaluate(() => window.__harness.release('check_links'));
  const rows = page.locator('[data-testid=links-results] tbody tr');
  await until(async () => (await rows.count()) === 7, 'seven links, each once');
  const states = await rows.evaluateAll((trs) => trs.map((tr) => [tr.dataset.link, tr.dataset.state, tr.querySelector('[data-testid=link-status]').textContent.trim()]));
  const want = [
    [url('README.txt'), 'available', 'Available'],
    [url('invoice-2024-03.pdf'), 'available', 'Available'],
    [url('secret-plans.pdf'), 'private', 'Private — password or access list'],
    ['https://1fichier.com/?gone12345', 'notFound', 'Not found'],
    ['https://1fichier.com/?privx12345', 'private', 'Private — password or access list'],
    ['https://1fichier.com/?badlk12345', 'badLink', 'Bad link'],
    ['https://1fichier.com/?oddly12345', 'unknown', 'Unknown: Temporarily unavailable'],
  ];
  assert(JSON.stringify(states) === JSON.stringify(want), `rows: ${JSON.stringify(states)}`);
  const first = await rows.first().locator('td').allTextContents();
  assert(first[0] === 'README.txt' && /^2\.26 KiB$/.test(first[2]), `name and size: ${first}`);
  assert((await page.textContent('[data-testid=links-summary]')).trim() === '2 of 7 available', 'the summary');
  assert((await page.textContent('[data-testid=links-others]')).trim() === '1 not found · 2 private · 1 bad link · 1 unknown', 'the others');
  const download = page.locator('[data-testid=links-download]');
  assert((await download.textContent()).trim() === 'Download all available (2)', 'the download button counts them');
  await shot(page, 'link-check');

  await download.click();
  const queued = await until(async () => (await calls(page, 'download_files'))[0], 'download_files called');
  assert(JSON.stringify(queued.urls) === JSON.stringify([url('README.txt'), url('invoice-2024-03.pdf')]) && queued.destDir == null,
    `exactly the available ones, into the download folder: ${JSON.stringify(queued)}`);
  const toast = page.locator('[data-testid=toasts] .toast').filter({ hasText: '2 downloads queued' });
  await toast.waitFor();
  await toast.locator('[data-testid=toast-action]').click();
  assert(await page.getAttribute('.sidebar .nav-item[data-view=transfers]', 'aria-current') === 'page', 'the action opens Transfers');
  for (const name of ['README.txt', 'invoice-2024-03.pdf']) {
    await page.locator('[data-testid=transfer-list] [data-transfer]').filter({ hasText: name }).first().waitFor();
  }
  assert(await page.locator('[data-testid=transfer-list] [data-transfer]').count() === 2, 'two downloads, no more');

  // Back again: the results are still there. A flood is said with its wait.
  await navTo(page, 'links');
  assert(await rows.count() === 7, 'results kept');
  await page.evaluate(() => window.__harness.flood(25));
  await check.click();
  await until(async () => /^1fichier asked to slow down\. Try again in 2\d s\.$/.test((await page.textContent('[data-testid=links-problem]').catch(() => '')).trim()), 'the flood and its wait');
});

test('check links: a dropped text file or text is added to the box; nothing dropped here is uploaded', async ({ page, base }) => {
  await open(page, base);
  await navTo(page, 'links');
  await page.fill('#links-text', 'first line');
  const dropOnBox = (files, text) => page.evaluate(async ([files, text]) => {
    const box = document.querySelector('#links-text');
    const data = new DataTransfer();
    for (const f of files) data.items.add(new File([f.body], f.name, { type: f.type }));
    if (text) data.setData('text/plain', text);
    box.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    box.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    await new Promise((r) => setTimeout(r, 100));
  }, [files, text]);
  await dropOnBox([{ name: 'links.txt', type: 'text/plain', body: 'from the file: dl4free.com/?fromfile12\r\n' }]);
  await until(async () => (await page.inputValue('#links-text')) === 'first line\nfrom the file: dl4free.com/?fromfile12\n', 'the file\'s text appended');
  await dropOnBox([], 'dragged https://1fichier.com/?dragged123');
  await until(async () => (await page.inputValue('#links-text')).endsWith('\ndragged https://1fichier.com/?dragged123'), 'dropped text appended');
  await dropOnBox([{ name: 'photo.jpg', type: 'image/jpeg', body: 'xx' }]);
  await until(async () => (await page.textContent('[data-testid=links-note]').catch(() => ''))?.includes('“photo.jpg” is not a text file'), 'a picture is not read');
  // "Open a text file…" reads the file picked.
  await page.setInputFiles('[data-testid=links-file]', { name: 'more.txt', mimeType: 'text/plain', buffer: Buffer.from('tenvoi.com/?opened1234') });
  await until(async () => (await page.inputValue('#links-text')).endsWith('\ntenvoi.com/?opened1234'), 'the opened file appended');
  // The desktop shell hands over paths: it reads a dropped text file, refuses a picture,
  // and nothing is uploaded.
  await page.evaluate(() => window.__harness.drop(600, 300, ['/home/u/droplist.txt']));
  await until(async () => (await page.inputValue('#links-text')).endsWith('\nhttps://1fichier.com/?droplist\n'), 'the dropped file read by the shell');
  await page.evaluate(() => window.__harness.drop(600, 300, ['/home/u/holiday.jpg']));
  await until(async () => (await page.textContent('[data-testid=links-note]').catch(() => ''))?.includes('holiday.jpg is not a text file'), 'a dropped picture refused');
  assert(await page.locator('[data-testid=drop-overlay]').count() === 0, 'no upload overlay');
  await page.click('[data-testid=links-check]');
  const rows = page.locator('[data-testid=links-results] tbody tr');
  await until(async () => (await rows.count()) === 4, 'the four links found');
  await page.waitForTimeout(200);
  assert((await calls(page, 'upload_paths')).length === 0 && (await calls(page, 'upload_time_check')).length === 0, 'nothing uploaded');
});

test('check links: 5,000 links are checked and drawn quickly; more than that is said before asking', async ({ page, base }) => {
  await open(page, base, 'signedIn&large=5000');
  const urls = await page.evaluate(async () => (await window.__harness.fake.listFolder(window.__harness.largeId)).files.map((f) => f.url));
  assert(urls.length === 5000, 'a folder of 5,000 files');
  await navTo(page, 'links');
  // As a paste puts it: one input of the whole text.
  const paste = (text) => page.evaluate((text) => {
    const box = document.querySelector('#links-text');
    box.value = text;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await paste(`${urls.join('\n')}\nhttps://1fichier.com/?onetoomany1`);
  await page.click('[data-testid=links-check]');
  await until(async () => (await page.textContent('[data-testid=links-problem]').catch(() => ''))?.startsWith('5,001 links found; one check takes at most 5,000.'), 'too many');
  assert((await calls(page, 'check_links')).length === 0, 'not asked');
  await paste(urls.join('\n'));
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const t0 = performance.now();
    const watch = new MutationObserver(() => {
      if (document.querySelectorAll('[data-testid=links-results] tbody tr').length === 5000) {
        watch.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      }
    });
    watch.observe(document.body, { childList: true, subtree: true });
    document.querySelector('[data-testid=links-check]').click();
  }));
  console.log(`  5,000 links: checked and drawn ${ms.toFixed(0)} ms after the click (the fake answers in 0.2-0.5 s)`);
  assert(ms < 4000, `drawn in ${ms.toFixed(0)} ms`);
  assert((await page.textContent('[data-testid=links-summary]')).trim() === '5,000 of 5,000 available', 'the summary');
  const t0 = Date.now();
  await page.locator('.view-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.locator('[data-testid=links-results] tbody tr').last().waitFor();
  assert(Date.now() - t0 < 2000, 'scrolled to the end quickly');
});

// ——— uploads that can't finish in time ———

test('uploads: a file that would outlast 1fichier\'s 4 hours is announced; Cancel queues nothing, "Upload anyway" queues it', async ({ page, base }) => {
  await open(page, base);
  const big = '/home/u/raw-footage-80GB.mov';
  const warning = page.locator('[data-testid=upload-time-warning]');
  await page.evaluate((p) => window.__harness.drop(700, 760, [p, '/home/u/notes.txt']), big);
  await warning.waitFor();
  const value = (id) => page.textContent(`[data-testid=${id}]`).then((x) => x.trim());
  assert(await value('upload-time-file') === 'raw-footage-80GB.mov', 'the largest file');
  assert(await value('upload-time-size') === '74.5 GiB', 'its size');
  assert(await value('upload-time-speed') === '1.43 MiB/s', 'the speed');
  assert(await value('upload-time-estimate') === 'about 14.8 hours', 'the estimate');
  assert(await value('upload-time-limit') === '4 hours', 'the limit');
  const said = await warning.textContent();
  assert(said.includes('1fichier stops an upload after 4 hours') && said.includes('would likely fail near the end'), `plainly said: ${said}`);
  assert((await value('upload-time-others')).startsWith('This upload has 2 files'), 'the other file');
  const check = (await calls(page, 'upload_time_check'))[0];
  assert(JSON.stringify(check.paths) === JSON.stringify([big, '/home/u/notes.txt']), `checked with the same paths: ${JSON.stringify(check)}`);
  await until(() => page.evaluate(() => document.activeElement?.dataset.testid === 'upload-time-cancel'), 'Cancel has the focus');
  await screen(page, 'upload-time-warning');
  await page.click('[data-testid=upload-time-cancel]');
  await warning.waitFor({ state: 'detached' });
  await page.waitForTimeout(200);
  assert((await calls(page, 'upload_paths')).length === 0, 'Cancel queues nothing');
  // Escape is Cancel too.
  await page.evaluate((p) => window.__harness.drop(700, 760, [p]), big);
  await warning.waitFor();
  await page.keyboard.press('Escape');
  await warning.waitFor({ state: 'detached' });
  await page.waitForTimeout(200);
  assert((await calls(page, 'upload_paths')).length === 0, 'Escape queues nothing');

  await page.evaluate((p) => window.__harness.drop(700, 760, [p]), big);
  await warning.waitFor();
  await page.click('[data-testid=upload-time-anyway]');
  await warning.waitFor({ state: 'detached' });
  const up = await until(async () => (await calls(page, 'upload_paths'))[0], 'upload_paths called');
  assert(JSON.stringify(up.paths) === JSON.stringify([big]) && up.folderId === 0, `queued as asked: ${JSON.stringify(up)}`);
  await navTo(page, 'transfers');
  await page.locator('[data-testid=transfer-list] [data-transfer]').filter({ hasText: 'raw-footage-80GB.mov' }).waitFor();

  // A small one goes at once; a check that fails does not stop the upload.
  await navTo(page, 'files');
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/small-notes.txt']));
  await until(async () => (await calls(page, 'upload_paths')).length === 2, 'a small upload is not asked about');
  assert(await warning.count() === 0, 'no warning for it');
  await page.evaluate(() => window.__harness.hold('upload_time_check'));
  await page.evaluate(() => window.__harness.drop(700, 760, ['/home/u/when-the-check-fails-90GB.mkv']));
  await page.waitForTimeout(100);
  await page.evaluate(() => window.__harness.release('upload_time_check', { code: 'io', message: 'cannot read', retryable: false }));
  await until(async () => (await calls(page, 'upload_paths')).length === 3, 'uploaded though the check failed');
  assert(await warning.count() === 0, 'no warning when the check failed');

  // The Upload button goes through the same question.
  await page.evaluate(() => {
    const f = window.__harness.fake;
    f.pickUploadPaths = async () => { f.grantDropped(['/home/demo/Videos/wedding-120GB.mkv']); return ['/home/demo/Videos/wedding-120GB.mkv']; };
  });
  await page.click('button[aria-haspopup=menu]:has-text("Upload")');
  await page.click('[data-testid=context-menu] [role=menuitem]:has-text("Upload files")');
  await page.click('[data-testid=dialog] button:has-text("Start upload")');
  await warning.waitFor();
  assert(await value('upload-time-file') === 'wedding-120GB.mkv', 'the picked file');
  await page.click('[data-testid=upload-time-cancel]');
  await warning.waitFor({ state: 'detached' });
  await page.waitForTimeout(200);
  assert((await calls(page, 'upload_paths')).length === 3, 'the picked file is not queued after Cancel');
});
