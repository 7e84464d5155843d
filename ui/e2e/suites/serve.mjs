// The browser suite's stream & mount: the local server on, the drive's address and password,
// options, mount; the small window and French; "Copy stream link"; "Export for media
// server…".
import { assert, until } from '../lib.mjs';
import { suite, open, row, screen, shot, VIEWS, navTo, setLanguage, toastTexts, dismissToasts, layoutProblems } from '../helpers.mjs';

const { tests, test } = suite();
export default tests;

// ——— stream & mount ———

/** Records what the window copies, instead of the system clipboard. */
async function captureClipboard(page) {
  await page.evaluate(() => {
    window.__copied = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text) => { window.__copied.push(text); } } });
  });
}
const copied = (page) => page.evaluate(() => window.__copied.slice());

test('stream & mount: turn the server on, the drive address and password show, copy, options, mount', async ({ page, base }) => {
  await open(page, base);
  await captureClipboard(page);
  await navTo(page, 'serve');
  const sw = page.locator('[data-testid=serve-switch]');
  await until(async () => !(await sw.isDisabled()), 'the switch is ready once the status is read');
  assert(await sw.getAttribute('role') === 'switch' && await sw.getAttribute('aria-checked') === 'false', 'a switch, off by default');
  assert(await page.locator('[data-testid=serve-drive]').count() === 0, 'no drive while off');
  assert((await page.textContent('[data-testid=serve-state]')).trim() === 'Off', 'the header says off');
  const name = await page.evaluate(() => {
    const b = document.querySelector('[data-testid=serve-switch]');
    return b.getAttribute('aria-labelledby') && document.getElementById(b.getAttribute('aria-labelledby')).textContent.trim();
  });
  assert(name === 'Serve my library on this computer', `the switch is named by its label: ${name}`);

  // By keyboard: focus and Space.
  await sw.focus();
  await page.keyboard.press('Space');
  await until(async () => await sw.getAttribute('aria-checked') === 'true', 'Space turns it on');
  const drive = page.locator('[data-testid=serve-drive]');
  await drive.waitFor();
  const call = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'set_serve').pop().args);
  assert(JSON.stringify(call) === JSON.stringify({ options: { enabled: true, lan: false, readOnly: false, port: 0 } }), `set_serve with its options: ${JSON.stringify(call)}`);
  assert(await page.inputValue('[data-testid=serve-dav]') === 'http://127.0.0.1:4918/dav/', 'the WebDAV address');
  assert(await page.inputValue('#serve-user') === 'fichier', 'the user');
  const secret = await page.evaluate(() => window.__harness.fake.serve.status().secret);
  const pass = page.locator('[data-testid=serve-pass]');
  assert(await pass.getAttribute('type') === 'password' && await pass.inputValue() === secret, 'the password, masked');
  assert(/^Running$/.test((await page.textContent('[data-testid=serve-state]')).trim()), 'the header says running');
  assert(/dav:\/\/fichier@127\.0\.0\.1:4918\/dav\//.test(await drive.textContent()), 'the Linux address to type');
  assert(/BasicAuthLevel/.test(await drive.textContent()) && /47 MiB/.test(await drive.textContent()), 'the Windows note');
  await page.click('[data-testid=serve-reveal]');
  assert(await pass.getAttribute('type') === 'text', 'Show reveals the password');
  assert(await page.getAttribute('[data-testid=serve-reveal]', 'aria-pressed') === 'true', 'the show button is pressed');
  await page.click('[data-testid=serve-copy-pass]');
  await page.click('[data-testid=serve-copy-dav]');
  await until(async () => (await copied(page)).length === 2, 'two copies');
  const got = await copied(page);
  assert(got[0] === secret && got[1] === 'http://127.0.0.1:4918/dav/', `copied the password and the address: ${got}`);
  await until(async () => (await toastTexts(page)).some((x) => x.includes('Copied')), 'a toast says copied');
  await page.click('[data-testid=serve-reveal]');

  // The streams: none, then the ones the server is serving, read again every second.
  assert((await page.textContent('[data-testid=serve-streams-empty]')).trim() === 'Nothing is being played or copied', 'the empty line');
  await page.evaluate(() => {
    window.__harness.fake.serve.addStream('conference-talk.mkv', '127.0.0.1 · VLC/3.0.20 LibVLC/3.0.20', 3_100_000, 612_000_000);
    window.__harness.fake.serve.addStream('01 - Overture.flac', '192.168.1.34 · Kodi/21.0 (Linux; Android 12)', 180_000, 9_400_000);
  });
  const streams = page.locator('[data-testid=serve-streams] tbody tr');
  await until(async () => await streams.count() === 2, 'the poll shows the streams', 3000);
  const firstRow = await streams.first().textContent();
  assert(/conference-talk\.mkv/.test(firstRow) && /[\d.]+ MiB\b/.test(firstRow) && /MiB\/s/.test(firstRow), `name, bytes and speed: ${firstRow}`);
  const bytes = async () => streams.first().locator('td').nth(2).textContent();
  const before = await bytes();
  await until(async () => (await bytes()) !== before, 'the bytes grow', 3000);
  assert(/^Tokens asked: 2 · API calls: \d+$/.test((await page.textContent('[data-testid=serve-counters]')).trim()), 'the counters');
  await page.evaluate(() => window.__harness.fake.serve.wait(40));
  await until(async () => /^1fichier asks to wait \d+ s; streams already open go on$/.test((await page.textContent('[data-testid=serve-wait]').catch(() => '')).trim()), 'the wait line');
  await dismissToasts(page);
  await shot(page, 'stream-mount-view');
  await page.locator('.view-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await shot(page, 'stream-mount-view-end');
  await page.locator('.view-body').evaluate((el) => el.scrollTo(0, 0));
  await page.evaluate(() => window.__harness.fake.serve.wait(0));

  // Mount: the message inline.
  await page.click('[data-testid=serve-mount]');
  await until(async () => /Mounted: dav:\/\/fichier@127\.0\.0\.1:4918\/dav\//.test(await page.textContent('[data-testid=serve-mount-result]')), 'mounted, and where');
  await page.evaluate(() => { window.__harness.fake.serve.canMount = false; });
  await page.click('[data-testid=serve-mount]');
  await until(async () => /Connect to http:\/\/127\.0\.0\.1:4918\/dav\//.test(await page.textContent('[data-testid=serve-mount-result]')), 'elsewhere, how to do it');

  // Options: each change is sent, the local network shows its address and its warning.
  await page.check('[data-testid=serve-lan]');
  await page.locator('[data-testid=serve-lan-dav]').waitFor();
  assert(/^http:\/\/192\.168\.1\.20:4918\/dav\/$/.test(await page.inputValue('[data-testid=serve-lan-dav]')), 'the address on the network');
  assert(/Anyone on the network who has the password/.test(await page.textContent('#serve-lan-warning')), 'the warning');
  assert(await page.evaluate(() => document.querySelector('[data-testid=serve-lan]').getAttribute('aria-describedby')) === 'serve-lan-warning', 'the warning describes the checkbox');
  await page.check('[data-testid=serve-readonly]');
  await until(async () => (await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'set_serve').pop().args.options.readOnly)) === true, 'read only sent');
  await page.fill('[data-testid=serve-port]', '8123');
  await page.press('[data-testid=serve-port]', 'Enter');
  await page.locator('[data-testid=serve-port]').blur();
  await until(async () => await page.inputValue('[data-testid=serve-dav]') === 'http://127.0.0.1:8123/dav/', 'the new port');
  const last = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'set_serve').pop().args.options);
  assert(JSON.stringify(last) === JSON.stringify({ enabled: true, lan: true, readOnly: true, port: 8123 }), `all the options kept: ${JSON.stringify(last)}`);
  // A change the backend refuses: its error as a toast, the field back to what it was.
  await dismissToasts(page);
  await page.evaluate(() => window.__harness.hold('set_serve'));
  await page.fill('[data-testid=serve-port]', '8124');
  await page.locator('[data-testid=serve-port]').blur();
  await page.evaluate(() => window.__harness.release('set_serve', { code: 'io', message: "The server's options could not be saved: the disk is full", retryable: false }));
  await until(async () => (await toastTexts(page)).some((x) => /could not be read or written/.test(x)), 'the refusal is shown');
  await until(async () => await page.inputValue('[data-testid=serve-port]') === '8123', 'the field shows the port in use');
  // A system port breaks core's rule: the form says so and asks nothing.
  const sent = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'set_serve').length);
  await page.fill('[data-testid=serve-port]', '80');
  await page.locator('[data-testid=serve-port]').blur();
  await until(async () => /from 1024 to 65535/.test(await page.textContent('#serve-port-error').catch(() => '')), "core's rule said under the field");
  assert(await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'set_serve').length) === sent, 'nothing sent for port 80');
  await page.fill('[data-testid=serve-port]', '99999');
  await page.locator('[data-testid=serve-port]').blur();
  await until(async () => await page.getAttribute('[data-testid=serve-port]', 'aria-invalid') === 'true', 'a port out of range is marked');

  // A taken port: the reason why it does not run.
  await page.evaluate(() => window.__harness.fake.serve.takePort(8123));
  await until(async () => /^The server could not start: port 8123 is already in use/.test((await page.textContent('[data-testid=serve-error]').catch(() => '')).trim()), 'the error line');
  assert(await page.locator('[data-testid=serve-drive]').count() === 0, 'no drive while it does not run');
  assert((await page.textContent('[data-testid=serve-state]')).trim() === 'Not running', 'the header says so');
  await dismissToasts(page);
  await screen(page, 'stream-mount-port-taken');
  await page.evaluate(() => window.__harness.fake.serve.freePort(8123));
  await drive.waitFor();

  // Off again: the polling stops when the view goes.
  await sw.click();
  await until(async () => await sw.getAttribute('aria-checked') === 'false' && await drive.count() === 0, 'off');
  await navTo(page, 'files');
  const polls = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'serve_status').length);
  await page.waitForTimeout(2300);
  assert(await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'serve_status').length) === polls, 'no polling outside the view');
});

test('stream & mount: the small window and French', async ({ page, base }) => {
  await page.setViewportSize({ width: 880, height: 600 });
  await open(page, base, 'signedIn&streams');
  await navTo(page, 'serve');
  await page.locator('[data-testid=serve-streams] tbody tr').first().waitFor();
  await page.evaluate(() => window.__harness.fake.serve.wait(25));
  await page.locator('[data-testid=serve-wait]').waitFor();
  const problems = await layoutProblems(page);
  assert(problems.length === 0, `layout at 880×600: ${problems.join('; ')}`);
  await shot(page, 'stream-mount-view-880x600');
  await page.locator('.view-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await shot(page, 'stream-mount-view-880x600-end');
  await setLanguage(page, 'fr');
  await navTo(page, 'serve');
  await page.locator('[data-testid=serve-streams] tbody tr').first().waitFor();
  await page.locator('[data-testid=serve-wait]').waitFor();
  const text = await page.textContent('.view');
  assert(/Servir ma bibliothèque sur cet ordinateur/.test(text) && /Lecteur WebDAV/.test(text) && /Jetons demandés : 2/.test(text), 'in French');
  assert(/1fichier demande d’attendre \d+ s/.test(text), 'the wait in French');
  assert(/[\d,]+ Mio/.test(await page.locator('[data-testid=serve-streams] tbody tr').first().textContent()), 'sizes in French units');
  // The small window's sidebar has room for one word.
  assert((await page.locator('.sidebar .nav-item').nth(VIEWS.indexOf('serve')).textContent()).trim() === 'Streaming', 'the sidebar entry');
  assert((await page.textContent('.view-head h1')).trim() === 'Streaming et lecteur', 'the title');
  const frProblems = await layoutProblems(page);
  assert(frProblems.length === 0, `layout in French: ${frProblems.join('; ')}`);
  await shot(page, 'stream-mount-view-880x600-fr');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(100);
  await shot(page, 'stream-mount-view-fr');
  await setLanguage(page, 'en');
});

test('stream & mount: "Copy stream link" needs the server, then copies a link to the file', async ({ page, base }) => {
  await open(page, base);
  await captureClipboard(page);
  const menuItem = async (rowName, label) => {
    await row(page, rowName).click({ button: 'right' });
    await page.waitForSelector('[data-testid=context-menu]');
    await page.click(`[data-testid=context-menu] [role=menuitem]:has-text("${label}")`);
  };
  // Not offered for a folder, nor for several files.
  await row(page, 'Documents').click({ button: 'right' });
  await page.waitForSelector('[data-testid=context-menu]');
  assert(!(await page.textContent('[data-testid=context-menu]')).includes('Copy stream link'), 'no stream link for a folder');
  await page.keyboard.press('Escape');

  await menuItem('holiday-video.mp4', 'Copy stream link');
  const toast = page.locator('[data-testid=toasts] .toast.error');
  await until(async () => /turn it on in Stream & mount/.test(await toast.textContent().catch(() => '')), 'the error says where to turn it on');
  assert((await copied(page)).length === 0, 'nothing copied');
  await page.waitForTimeout(300);
  await screen(page, 'stream-link-off');
  await toast.locator('[data-testid=toast-action]').click();
  await page.locator('[data-testid=serve-switch]').waitFor();
  assert(await page.getAttribute('.sidebar .nav-item[data-view=serve]', 'aria-current') === 'page', 'the action opens Stream & mount');
  await until(async () => !(await page.locator('[data-testid=serve-switch]').isDisabled()), 'the switch is ready');
  await page.click('[data-testid=serve-switch]');
  await page.locator('[data-testid=serve-drive]').waitFor();

  await navTo(page, 'files');
  await row(page, 'holiday-video.mp4').waitFor();
  await menuItem('holiday-video.mp4', 'Copy stream link');
  await until(async () => (await copied(page)).length === 1, 'a link copied');
  const [link] = await copied(page);
  const url = await page.evaluate(async () => (await window.__harness.fake.listFolder(0)).files.find((f) => f.filename === 'holiday-video.mp4').url);
  const secret = await page.evaluate(() => window.__harness.fake.serve.status().secret);
  assert(link === `http://127.0.0.1:4918/s/${secret}/${url.split('?')[1]}/holiday-video.mp4`, `the stream link: ${link}`);
  assert(/\/s\//.test(link), 'a stream link');
  await until(async () => (await toastTexts(page)).some((x) => x.includes('Stream link copied')), 'the toast says so');
  const args = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'stream_link').pop().args);
  assert(args.url === url, `stream_link with the file's URL: ${JSON.stringify(args)}`);
});

test('stream & mount: "Export for media server…" on a folder writes its links where chosen', async ({ page, base }) => {
  await open(page, base);
  await row(page, 'README.txt').click({ button: 'right' });
  await page.waitForSelector('[data-testid=context-menu]');
  assert(!(await page.textContent('[data-testid=context-menu]')).includes('Export for media server'), 'no export for a file');
  await page.keyboard.press('Escape');
  await row(page, 'Photos').click({ button: 'right' });
  await page.waitForSelector('[data-testid=context-menu]');
  await page.click('[data-testid=context-menu] [role=menuitem]:has-text("Export for media server…")');
  await until(async () => (await toastTexts(page)).some((x) => x === 'Exported 51 links to /home/demo/Media/1fichier'), 'the report toast');
  const pick = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'pick_directory').pop().args);
  assert(pick.purpose === 'export', `picked for an export: ${JSON.stringify(pick)}`);
  const exp = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'export_strm').pop().args);
  assert(exp.folderId === 22692436 && exp.dir === '/home/demo/Media/1fichier', `export_strm with the folder and the directory: ${JSON.stringify(exp)}`);
  await page.waitForTimeout(300);
  await screen(page, 'export-strm-done');
  // Again: the same count, now unchanged ones.
  await dismissToasts(page);
  await row(page, 'Photos').click({ button: 'right' });
  await page.click('[data-testid=context-menu] [role=menuitem]:has-text("Export for media server…")');
  await until(async () => (await toastTexts(page)).some((x) => x === 'Exported 51 links to /home/demo/Media/1fichier'), 'the same count the second time');
  // Cancelled picker: nothing exported.
  const count = await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'export_strm').length);
  await page.evaluate(() => { const f = window.__harness.fake; f.pickDirectory = async () => null; });
  await row(page, 'Music').click({ button: 'right' });
  await page.click('[data-testid=context-menu] [role=menuitem]:has-text("Export for media server…")');
  await page.waitForTimeout(300);
  assert(await page.evaluate(() => window.__harness.calls.filter((c) => c.cmd === 'export_strm').length) === count, 'a cancelled picker exports nothing');
});
