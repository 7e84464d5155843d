import { describe, expect, it } from 'vitest';
import { clickSelect, cursorTo, emptySelection, moveCursor, pruneSelection, selectAll } from './selection';
import { NavHistory } from './history';

const keys = ['a', 'b', 'c', 'd', 'e'];
const sel = (s: { selected: Set<string> }) => [...s.selected].sort();

describe('selection', () => {
  it('click selects one, ctrl toggles, shift extends from the anchor', () => {
    let s = clickSelect(emptySelection(), keys, 'b');
    expect(sel(s)).toEqual(['b']);
    s = clickSelect(s, keys, 'd', { toggle: true });
    expect(sel(s)).toEqual(['b', 'd']);
    s = clickSelect(s, keys, 'b', { toggle: true });
    expect(sel(s)).toEqual(['d']);
    // A ctrl-click moves the anchor to the clicked row, as in desktop file managers.
    s = clickSelect(s, keys, 'a', { shift: true });
    expect(sel(s)).toEqual(['a', 'b']);
    s = clickSelect(s, keys, 'e', { shift: true });
    expect(sel(s)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('ctrl+shift adds a range to the selection', () => {
    let s = clickSelect(emptySelection(), keys, 'a');
    s = clickSelect(s, keys, 'c', { toggle: true });
    s = clickSelect(s, keys, 'e', { toggle: true, shift: true });
    expect(sel(s)).toEqual(['a', 'c', 'd', 'e']);
  });

  it('arrows move the cursor and clamp at the ends; shift extends', () => {
    let s = moveCursor(emptySelection(), keys, 1);
    expect(s.cursor).toBe('a');
    s = moveCursor(s, keys, 1);
    s = moveCursor(s, keys, 1, true);
    s = moveCursor(s, keys, 1, true);
    expect(sel(s)).toEqual(['b', 'c', 'd']);
    s = moveCursor(s, keys, 100);
    expect(sel(s)).toEqual(['e']);
    s = moveCursor(s, keys, -100);
    expect(s.cursor).toBe('a');
  });

  it('Home and End go to the ends even without a cursor', () => {
    expect(cursorTo(emptySelection(), keys, 0).cursor).toBe('a');
    expect(cursorTo(emptySelection(), keys, keys.length - 1).cursor).toBe('e');
    const s = cursorTo(clickSelect(emptySelection(), keys, 'c'), keys, 0, true);
    expect(sel(s)).toEqual(['a', 'b', 'c']);
  });

  it('select all and prune after a listing change', () => {
    let s = selectAll(emptySelection(), keys);
    expect(s.selected.size).toBe(5);
    s = pruneSelection(s, ['a', 'c']);
    expect(sel(s)).toEqual(['a', 'c']);
    expect(moveCursor(emptySelection(), [], 1).selected.size).toBe(0);
  });
});

describe('back and forward', () => {
  it('behaves like a browser history', () => {
    const h = new NavHistory(0);
    expect(h.canBack).toBe(false);
    h.visit(1);
    h.visit(2);
    expect(h.goBack()).toBe(1);
    expect(h.goBack()).toBe(0);
    expect(h.goBack()).toBeNull();
    expect(h.goForward()).toBe(1);
    h.visit(5);
    expect(h.canForward).toBe(false);
    expect(h.goBack()).toBe(1);
    h.visit(1);
    expect(h.current).toBe(1);
    h.forget(0);
    expect(h.goBack()).toBeNull();
  });
});
