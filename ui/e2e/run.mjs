// The browser suite: the built UI (ui/dist-harness) in Debian's Chromium, with the Tauri IPC
// mocked by mock-ipc.html so the app's real TauriBackend is exercised. Prints one line
// `ui e2e: N passed, N failed` and exits non-zero on any failure. Screenshots of the main
// screens go to artifacts/ui/ at the repository root.
//
// The tests are in suites/, one module per area, run in the order below; what they share
// is in helpers.mjs.
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { serve, launch, assert, ensureDir } from './lib.mjs';
import { shots } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '../dist-harness');
const only = process.argv[2];

if (!existsSync(join(dist, 'mock-ipc.html'))) {
  console.error('ui/dist-harness is missing: run `npm run build:harness` first');
  console.log('ui e2e: 0 passed, 1 failed');
  process.exit(1);
}

/** The suites, in the order their tests run. */
const SUITES = ['files', 'transfers', 'backups', 'screens', 'serve', 'menus', 'details', 'account', 'links', 'accounts', 'a11y', 'views', 'memory'];

/** @type {{name: string, fn: (ctx: any) => Promise<void>}[]} */
const tests = [];
for (const name of SUITES) tests.push(...(await import(`./suites/${name}.mjs`)).default);

// ——— runner ———

const server = await serve(dist);
const { context, close } = await launch();
await ensureDir(shots);
let passed = 0;
let failed = 0;
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const started = Date.now();
  try {
    await t.fn({ page, base: server.url });
    assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}: ${e?.message ?? e}`);
    await page.screenshot({ path: join(shots, `failure-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}.png`) }).catch(() => {});
  } finally {
    await page.close();
  }
}
await close();
await server.close();
console.log(`ui e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
