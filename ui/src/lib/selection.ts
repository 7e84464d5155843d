// Multi-selection over an ordered list of keys, the way desktop file managers do it:
// click selects one, ctrl/cmd toggles, shift extends from the anchor, arrows move the
// cursor (with shift extending), Ctrl+A selects all.

export interface SelectionState {
  selected: Set<string>;
  /** Where shift-extension starts. */
  anchor: string | null;
  /** The focused row (keyboard cursor). */
  cursor: string | null;
}

export function emptySelection(): SelectionState {
  return { selected: new Set(), anchor: null, cursor: null };
}

export interface ClickModifiers { shift?: boolean; toggle?: boolean }

export function clickSelect(state: SelectionState, keys: string[], key: string, mods: ClickModifiers = {}): SelectionState {
  if (mods.shift && state.anchor && keys.includes(state.anchor)) {
    const range = rangeBetween(keys, state.anchor, key);
    const selected = mods.toggle ? new Set([...state.selected, ...range]) : new Set(range);
    return { selected, anchor: state.anchor, cursor: key };
  }
  if (mods.toggle) {
    const selected = new Set(state.selected);
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
    return { selected, anchor: key, cursor: key };
  }
  return { selected: new Set([key]), anchor: key, cursor: key };
}

function rangeBetween(keys: string[], a: string, b: string): string[] {
  const i = keys.indexOf(a);
  const j = keys.indexOf(b);
  if (i < 0 || j < 0) return [b];
  const [lo, hi] = i <= j ? [i, j] : [j, i];
  return keys.slice(lo, hi + 1);
}

/** Moves the cursor by `delta` rows (clamped); with shift, extends from the anchor. */
export function moveCursor(state: SelectionState, keys: string[], delta: number, shift = false): SelectionState {
  if (keys.length === 0) return emptySelection();
  const current = state.cursor ? keys.indexOf(state.cursor) : -1;
  let next: number;
  if (current < 0) next = delta >= 0 ? 0 : keys.length - 1;
  else next = Math.max(0, Math.min(keys.length - 1, current + delta));
  const key = keys[next];
  if (shift) return clickSelect({ ...state, anchor: state.anchor ?? state.cursor ?? key }, keys, key, { shift: true });
  return { selected: new Set([key]), anchor: key, cursor: key };
}

/** Puts the cursor on an index (Home, End); with shift, extends from the anchor. */
export function cursorTo(state: SelectionState, keys: string[], index: number, shift = false): SelectionState {
  if (keys.length === 0) return emptySelection();
  const key = keys[Math.max(0, Math.min(keys.length - 1, index))];
  if (shift) return clickSelect({ ...state, anchor: state.anchor ?? state.cursor ?? key }, keys, key, { shift: true });
  return { selected: new Set([key]), anchor: key, cursor: key };
}

export function selectAll(state: SelectionState, keys: string[]): SelectionState {
  return { selected: new Set(keys), anchor: state.anchor ?? keys[0] ?? null, cursor: state.cursor ?? keys[0] ?? null };
}

/** Drops keys that are no longer listed (after a refresh, a filter, a delete). */
export function pruneSelection(state: SelectionState, keys: string[]): SelectionState {
  // Nothing selected and no cursor: nothing to prune (and no set of every key to build).
  if (state.selected.size === 0 && state.anchor == null && state.cursor == null) return state;
  const present = new Set(keys);
  const selected = new Set([...state.selected].filter((k) => present.has(k)));
  return {
    selected,
    anchor: state.anchor && present.has(state.anchor) ? state.anchor : null,
    cursor: state.cursor && present.has(state.cursor) ? state.cursor : null,
  };
}
