// Entry of mock-ipc.html, used by the browser test suite only. It fakes the Tauri
// runtime with `mockIPC`, answering each command from the in-memory FakeBackend, so the
// app runs its real TauriBackend (invoke, Channel, listen) end to end.
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { FakeBackend } from '../lib/backend/fake/fakeBackend';
import { COMMANDS, METHODS, type CommandName } from '../lib/backend/commands';
import type { AppEvent } from '../lib/backend/types';

type Args = Record<string, any>;

const params = new URLSearchParams(window.location.search);
const fake = new FakeBackend({
  signedIn: params.has('signedIn'),
  keychainAvailable: params.get('keychain') !== 'off',
  // `?accounts=2`: a second account, "Work", with files of its own, has its key stored.
  accounts: Number(params.get('accounts') ?? 1),
  latency: [5, 20],
  autoFlood: false,
  baseSpeedBps: Number(params.get('speed') ?? 1_500_000),
});
const large = Number(params.get('large') ?? 0);
const past = Number(params.get('history') ?? 0);
if (past > 0) fake.addHistory(past);
const largeId = large > 0 ? fake.addLargeFolder(`Large folder (${large})`, large) : null;
// `?streams`: the local server is on and two players are reading from it.
if (params.has('streams')) {
  fake.serve.set({ enabled: true, lan: false, readOnly: false, port: 0 });
  fake.serve.addStream('conference-talk.mkv', '127.0.0.1 · VLC/3.0.20 LibVLC/3.0.20', 3_100_000, 612_000_000);
  fake.serve.addStream('01 - Overture.flac', '192.168.1.34 · Kodi/21.0 (Linux; Android 12)', 180_000, 9_400_000);
}

/**
 * Every command answered by the fake's method of the same name, its arguments taken in the
 * order the generated table gives (`COMMANDS`); only the event stream needs its own answer.
 */
function answer(cmd: string, a: Args): unknown {
  if (cmd === 'subscribe_events') {
    const channel = a.onEvent as { id: number };
    let index = 0;
    const internals = (window as any).__TAURI_INTERNALS__;
    return fake.subscribe((message: AppEvent) => {
      internals.runCallback(channel.id, { message, index: index++ });
    }).then(() => null);
  }
  if (!(cmd in COMMANDS)) return Promise.reject({ code: 'protocol', message: `unknown command ${cmd}`, retryable: false });
  const name = cmd as Exclude<CommandName, 'subscribe_events'>;
  const method = fake[METHODS[name]] as (...args: unknown[]) => unknown;
  return method.apply(fake, COMMANDS[name].map((arg) => a[arg]));
}

const calls: { cmd: string; args: Args }[] = [];

/**
 * Commands held back, as 1fichier (or the pacer spacing the calls) can keep one waiting:
 * `hold(cmd)` makes its next calls wait until `release(cmd)`, which runs them, or
 * `release(cmd, error)`, which makes them fail with that error instead.
 */
const held = new Map<string, { gate: Promise<unknown>; open: (error?: unknown) => void }>();
function hold(cmd: string): void {
  if (held.has(cmd)) return;
  let open: (error?: unknown) => void = () => {};
  const gate = new Promise<unknown>((resolve) => { open = resolve; });
  held.set(cmd, { gate, open });
}
function release(cmd: string, error?: unknown): void {
  held.get(cmd)?.open(error);
  held.delete(cmd);
}

mockWindows('main');
mockIPC(
  (cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Args });
    const a = (args ?? {}) as Args;
    const waiting = held.get(cmd);
    if (waiting) {
      return waiting.gate.then((error) => (error ? Promise.reject(error) : answer(cmd, a)));
    }
    return answer(cmd, a);
  },
  { shouldMockEvents: true },
);

function emit(event: string, payload: unknown) {
  return (window as any).__TAURI_INTERNALS__.invoke('plugin:event|emit', { event, payload });
}

/** Test controls: what Rust would do on its own (window events, flood waits). */
(window as any).__harness = {
  fake,
  largeId,
  calls,
  dragEnter: (x: number, y: number, paths: string[]) => emit('tauri://drag-enter', { paths, position: { x, y } }),
  dragOver: (x: number, y: number) => emit('tauri://drag-over', { position: { x, y } }),
  // As the shell does, the dropped paths are granted before the window hears of the drop.
  drop: (x: number, y: number, paths: string[]) => {
    fake.grantDropped(paths);
    return emit('tauri://drag-drop', { paths, position: { x, y } });
  },
  dragLeave: () => emit('tauri://drag-leave', null),
  flood: (seconds: number) => fake.triggerFlood(seconds),
  hold,
  release,
};

await import('../main');
