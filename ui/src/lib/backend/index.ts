// Picks the Backend: Tauri when running inside the desktop shell, the in-memory fake in
// a plain browser (or with `?backend=fake`). `?demo` starts the demo straight away,
// `?signedIn` opens the first account with a stored key, `?keychain=off` makes it behave
// like a machine without a usable keychain, and `?accounts=2` gives it a second account
// ("Work") with files of its own.
import type { Backend } from './backend';
import { tauriBackend } from './tauri';

export type { Backend, DirectoryPurpose, DropSignal, Unsubscribe } from './backend';
export { toAppError, isAppError } from './backend';

export async function createBackend(search = window.location.search): Promise<Backend> {
  const params = new URLSearchParams(search);
  const wanted = params.get('backend');
  const inTauri = typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
  if (wanted === 'fake' || (!inTauri && wanted !== 'tauri')) {
    const { FakeBackend } = await import('./fake/fakeBackend');
    const fake = new FakeBackend({
      // The demo is an account of its own: `?signedIn` opens the first account instead.
      signedIn: params.has('signedIn'),
      autoFlood: params.get('flood') !== 'off',
      keychainAvailable: params.get('keychain') !== 'off',
      accounts: Number(params.get('accounts') ?? 1),
    });
    if (params.has('demo')) await fake.startDemo();
    (window as unknown as { __fichierFake: unknown }).__fichierFake = fake;
    return fake;
  }
  return tauriBackend();
}
