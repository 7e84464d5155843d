// The Backend over Tauri IPC: the generated commands through `invoke`, the event stream through a
// `Channel` (high rate), drag-and-drop through the window's `tauri://drag-*` events.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Backend, DropSignal, Unsubscribe } from './backend';
import { toAppError } from './backend';
import { commandsOver, type CommandName } from './commands';
import type { AppEvent, DragDropPayload } from './types';

async function call(command: CommandName, args: Record<string, unknown>): Promise<unknown> {
  try {
    return await invoke(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

function toCss(p: DragDropPayload): { x: number; y: number } {
  const ratio = window.devicePixelRatio || 1;
  return { x: (p.position?.x ?? 0) / ratio, y: (p.position?.y ?? 0) / ratio };
}

/** The Backend over Tauri: the generated command layer, then the event stream and drops. */
export function tauriBackend(): Backend {
  const { subscribeEvents, ...commands } = commandsOver(call);
  return {
    kind: 'tauri',
    ...commands,
    async subscribe(handler: (event: AppEvent) => void): Promise<Unsubscribe> {
      const channel = new Channel<AppEvent>();
      channel.onmessage = handler;
      await subscribeEvents(channel);
      return () => { channel.onmessage = () => {}; };
    },

    async onDrop(handler: (signal: DropSignal) => void): Promise<Unsubscribe> {
    const offs = await Promise.all([
      listen<DragDropPayload>('tauri://drag-enter', (e) => handler({ kind: 'enter', ...toCss(e.payload) })),
      listen<DragDropPayload>('tauri://drag-over', (e) => handler({ kind: 'over', ...toCss(e.payload) })),
      listen<DragDropPayload>('tauri://drag-drop', (e) =>
        handler({ kind: 'drop', ...toCss(e.payload), paths: e.payload.paths ?? [] }),
      ),
      listen('tauri://drag-leave', () => handler({ kind: 'leave' })),
    ]);
    return () => offs.forEach((off) => off());
    },
  };
}
