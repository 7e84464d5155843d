// The window's width, and the layouts that follow from it. Below `narrow` the sidebar
// takes less room and the details panel floats over the file list instead of beside it.
export const NARROW_MAX = 1099;
export const COMPACT_MAX = 819;

class Layout {
  width = $state(typeof window === 'undefined' ? 1280 : window.innerWidth);
  /** The details panel is an overlay, opened on demand. */
  narrow = $derived(this.width <= NARROW_MAX);
  /** Smaller still: the toolbar's buttons show only their icons. */
  compact = $derived(this.width <= COMPACT_MAX);
}

export const layout = new Layout();
