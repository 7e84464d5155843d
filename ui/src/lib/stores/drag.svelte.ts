// Dragging: OS files over the window (to upload) and rows dragged inside the app (to
// move). Internal drags use pointer events rather than HTML5 drag-and-drop, which the
// desktop webviews reserve for files coming from the OS.

class DragState {
  /** OS files are over the window. */
  os = $state(false);
  /** A folder under the pointer that would receive the drop. */
  hoverFolder = $state<number | null>(null);
  /** Rows being dragged inside the app. */
  internal = $state<{ count: number; label: string; x: number; y: number } | null>(null);
}

export const drag = new DragState();

/** The folder id of the drop target under a point (a folder row or a tree item). */
export function folderAt(x: number, y: number): number | null {
  const el = document.elementFromPoint(x, y)?.closest('[data-drop-folder]');
  if (!el) return null;
  const id = Number(el.getAttribute('data-drop-folder'));
  return Number.isFinite(id) ? id : null;
}

/**
 * Starts watching a pointer press on rows; becomes a drag after a few pixels of
 * movement. `onDrop` gets the folder under the pointer on release.
 */
export function watchPointerDrag(
  start: PointerEvent,
  count: number,
  label: string,
  excluded: Set<number>,
  onDrop: (folderId: number) => void,
): void {
  const x0 = start.clientX;
  const y0 = start.clientY;
  let dragging = false;
  const move = (e: PointerEvent) => {
    if (!dragging && Math.hypot(e.clientX - x0, e.clientY - y0) < 6) return;
    dragging = true;
    drag.internal = { count, label, x: e.clientX, y: e.clientY };
    const target = folderAt(e.clientX, e.clientY);
    drag.hoverFolder = target != null && !excluded.has(target) ? target : null;
  };
  const up = () => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    window.removeEventListener('keydown', esc, true);
    const target = drag.hoverFolder;
    const was = dragging;
    drag.internal = null;
    drag.hoverFolder = null;
    if (was && target != null) onDrop(target);
  };
  const esc = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      drag.hoverFolder = null;
      up();
    }
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
  window.addEventListener('keydown', esc, true);
}
