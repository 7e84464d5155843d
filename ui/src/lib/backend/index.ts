// Picks the Backend: Tauri when running inside the desktop shell, the in-memory fake in
// a plain browser (or with `?backend=fake`). `?demo` signs the fake in straight away and
// `?keychain=off` makes it behave like a machine without a usable keychain.
import type { Backend } from './backend';
import { TauriBackend } from './tauri';

export type { Backend, DirectoryPurpose, DropSignal, Unsubscribe } from './backend';
export { toAppError, isAppError } from './backend';

export async function createBackend(search = window.location.search): Promise<Backend> {
  const params = new URLSearchParams(search);
  const wanted = params.get('backend');
  const inTauri = typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
  if (wanted === 'fake' || (!inTauri && wanted !== 'tauri')) {
    const { FakeBackend } = await import('./fake/fakeBackend');
    const fake = new FakeBackend({
      signedIn: params.has('demo'),
      autoFlood: params.get('flood') !== 'off',
      keychainAvailable: params.get('keychain') !== 'off',
    });
    if (params.has('demo')) await fake.startDemo();
    (window as unknown as { __fichierFake: unknown }).__fichierFake = fake;
    return fake;
  }
  return new TauriBackend();
}
