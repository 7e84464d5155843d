// A tooltip only where it tells something: on an element whose text is cut (with an
// ellipsis), never on one that shows its whole text. Set on pointer entry, so it follows
// the current width; `enabled: false` (say, while a menu is open) removes it.
export interface TruncTitleOptions {
  /** The tooltip's text; the element's own text by default. */
  text?: string;
  enabled?: boolean;
}

export function truncTitle(node: HTMLElement, options: TruncTitleOptions = {}) {
  let opts = options;
  const refresh = () => {
    const cut = node.scrollWidth > node.clientWidth + 1;
    if (opts.enabled !== false && cut) node.title = opts.text ?? node.textContent?.trim() ?? '';
    else node.removeAttribute('title');
  };
  node.addEventListener('pointerenter', refresh);
  node.addEventListener('focus', refresh);
  return {
    update(next: TruncTitleOptions = {}) {
      opts = next;
      if (opts.enabled === false) node.removeAttribute('title');
    },
    destroy() {
      node.removeEventListener('pointerenter', refresh);
      node.removeEventListener('focus', refresh);
    },
  };
}
