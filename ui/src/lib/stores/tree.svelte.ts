// The folder tree's keyboard model (the WAI-ARIA tree pattern): one item holds the Tab
// stop (roving tabindex), the arrows move between the items shown, Right and Left open
// and close a folder or go to its first child and its parent.
import { compareNames } from '../entries';
import { browser, type TreeNode } from './browser.svelte';

/** The tree item that takes the focus when Tab enters the tree. */
export const treeFocus = $state({ id: 0 });

/** A folder's sub-folders as the tree shows them. */
export function treeChildren(id: number): TreeNode[] {
  return (browser.tree[id]?.children ?? [])
    .map((c) => browser.tree[c])
    .filter(Boolean)
    .sort((a, b) => compareNames(a.name, b.name));
}

/** Known to have no sub-folders (an unlisted folder may have some). */
export function isLeaf(id: number): boolean {
  const node = browser.tree[id];
  return node?.children != null && node.children.length === 0;
}

export interface TreeRow {
  id: number;
  /** 0 for the root. */
  depth: number;
  /** Its place among its siblings (1-based) and their number. */
  pos: number;
  of: number;
}

/** The items on screen, top to bottom (the tree is drawn flat, each row with its level). */
export function visibleTree(): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (id: number, depth: number, pos: number, of: number) => {
    out.push({ id, depth, pos, of });
    if (!browser.expanded.has(id)) return;
    const children = treeChildren(id);
    children.forEach((c, i) => walk(c.id, depth + 1, i + 1, children.length));
  };
  walk(0, 0, 1, 1);
  return out;
}

export function visibleTreeIds(): number[] {
  return visibleTree().map((r) => r.id);
}
