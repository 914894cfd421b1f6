/**
 * @module An in-memory B+tree of `(key, rowId)` entries ordered by a caller's key comparator,
 * then by row id: the structure behind every index. Leaves are linked both ways for forward and
 * backward range scans; a cursor is two fields, so a scan allocates nothing per entry. Nodes that
 * empty out are unlinked; half-empty nodes are not merged (deletes come from vacuum, and
 * inserts refill them), which keeps the code short at a small cost in memory.
 */
import { assert } from "../assert.ts";

/** Entries per node: wide enough that a million keys are three levels deep. */
const nodeEntriesMax = 64;

/** Orders two keys; negative, zero or positive. */
export type Compare<K> = (a: K, b: K) => number;

/** A leaf: parallel arrays of keys and row ids, linked to its neighbours. */
export class Leaf<K> {
  keys: K[] = [];
  ids: number[] = [];
  next: Leaf<K> | null = null;
  prev: Leaf<K> | null = null;
}

class Inner<K> {
  /** keys[i], ids[i]: the first entry of children[i + 1]. */
  keys: K[] = [];
  ids: number[] = [];
  children: Node<K>[] = [];
}

type Node<K> = Leaf<K> | Inner<K>;

/** A position in the tree: `leaf.keys[pos]`, or nothing when `leaf` is null. */
export class BTreeCursor<K> {
  constructor(public leaf: Leaf<K> | null, public pos: number) {}

  get key(): K {
    return this.leaf!.keys[this.pos]!;
  }

  get rowId(): number {
    return this.leaf!.ids[this.pos]!;
  }

  /** Moves to the next entry; false at the end. */
  next(): boolean {
    const leaf = this.leaf;
    if (leaf === null) return false;
    if (++this.pos < leaf.keys.length) return true;
    let n = leaf.next;
    while (n !== null && n.keys.length === 0) n = n.next;
    this.leaf = n;
    this.pos = 0;
    return n !== null;
  }

  /** Moves to the previous entry; false at the start. */
  prev(): boolean {
    const leaf = this.leaf;
    if (leaf === null) return false;
    if (--this.pos >= 0) return true;
    let p = leaf.prev;
    while (p !== null && p.keys.length === 0) p = p.prev;
    this.leaf = p;
    this.pos = p === null ? 0 : p.keys.length - 1;
    return p !== null;
  }
}

/** The B+tree. */
export class BTree<K> {
  #root: Node<K> = new Leaf<K>();
  #size = 0;

  constructor(readonly compare: Compare<K>) {}

  /** Entries in the tree. */
  get size(): number {
    return this.#size;
  }

  #cmp(ka: K, ia: number, kb: K, ib: number): number {
    return this.compare(ka, kb) || ia - ib;
  }

  /** Index of the first entry in `keys/ids` at or after (key, id). */
  #search(keys: K[], ids: number[], key: K, id: number): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cmp(keys[mid]!, ids[mid]!, key, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The leaf where (key, rowId) is or belongs, its position there, and the inner path to it. */
  #descend(
    key: K,
    rowId: number,
  ): { node: Leaf<K>; pos: number; path: Inner<K>[]; slots: number[] } {
    const path: Inner<K>[] = [];
    const slots: number[] = [];
    let node = this.#root;
    while (node instanceof Inner) {
      const i = this.#childIndex(node, key, rowId);
      path.push(node);
      slots.push(i);
      node = node.children[i]!;
    }
    const pos = this.#search(node.keys, node.ids, key, rowId);
    return { node, pos, path, slots };
  }

  #holds(node: Leaf<K>, pos: number, key: K, rowId: number): boolean {
    return pos < node.keys.length && this.#cmp(node.keys[pos]!, node.ids[pos]!, key, rowId) === 0;
  }

  /** Adds (key, rowId); false when it was already there. */
  insert(key: K, rowId: number): boolean {
    const { node, pos, path, slots } = this.#descend(key, rowId);
    if (this.#holds(node, pos, key, rowId)) return false;
    node.keys.splice(pos, 0, key);
    node.ids.splice(pos, 0, rowId);
    this.#size++;
    if (node.keys.length > nodeEntriesMax) this.#split(node, path, slots);
    return true;
  }

  #childIndex(node: Inner<K>, key: K, id: number): number {
    // Children right of separators <= (key, id).
    let lo = 0;
    let hi = node.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cmp(node.keys[mid]!, node.ids[mid]!, key, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #split(node: Node<K>, path: Inner<K>[], slots: number[]): void {
    const half = node.keys.length >>> 1;
    let sepKey: K;
    let sepId: number;
    let right: Node<K>;
    if (node instanceof Leaf) {
      const r = new Leaf<K>();
      r.keys = node.keys.splice(half);
      r.ids = node.ids.splice(half);
      r.next = node.next;
      if (r.next) r.next.prev = r;
      r.prev = node;
      node.next = r;
      sepKey = r.keys[0]!;
      sepId = r.ids[0]!;
      right = r;
    } else {
      const r = new Inner<K>();
      sepKey = node.keys[half]!;
      sepId = node.ids[half]!;
      r.keys = node.keys.splice(half + 1);
      r.ids = node.ids.splice(half + 1);
      node.keys.pop();
      node.ids.pop();
      r.children = node.children.splice(half + 1);
      right = r;
    }
    const parent = path.pop();
    const slot = slots.pop();
    if (parent === undefined) {
      const root = new Inner<K>();
      root.keys = [sepKey];
      root.ids = [sepId];
      root.children = [node, right];
      this.#root = root;
      return;
    }
    parent.keys.splice(slot!, 0, sepKey);
    parent.ids.splice(slot!, 0, sepId);
    parent.children.splice(slot! + 1, 0, right);
    if (parent.keys.length > nodeEntriesMax) this.#split(parent, path, slots);
  }

  /** Removes (key, rowId); false when it was not there. */
  delete(key: K, rowId: number): boolean {
    const { node, pos, path, slots } = this.#descend(key, rowId);
    if (!this.#holds(node, pos, key, rowId)) return false;
    node.keys.splice(pos, 1);
    node.ids.splice(pos, 1);
    this.#size--;
    if (node.keys.length === 0 && path.length > 0) this.#unlink(node, path, slots);
    return true;
  }

  #unlink(leaf: Leaf<K>, path: Inner<K>[], slots: number[]): void {
    if (leaf.prev) leaf.prev.next = leaf.next;
    if (leaf.next) leaf.next.prev = leaf.prev;
    let child: Node<K> = leaf;
    while (path.length > 0) {
      const parent = path.pop()!;
      const slot = slots.pop()!;
      assert(parent.children[slot] === child, "btree path is consistent");
      parent.children.splice(slot, 1);
      const sep = slot === 0 ? 0 : slot - 1;
      parent.keys.splice(sep, 1);
      parent.ids.splice(sep, 1);
      if (parent.children.length > 0) break;
      child = parent;
    }
    while (this.#root instanceof Inner && this.#root.children.length === 1) {
      this.#root = this.#root.children[0]!;
    }
    if (this.#root instanceof Inner && this.#root.children.length === 0) {
      this.#root = new Leaf<K>();
    }
  }

  /** True when (key, rowId) is in the tree. */
  has(key: K, rowId: number): boolean {
    let node = this.#root;
    while (node instanceof Inner) node = node.children[this.#childIndex(node, key, rowId)]!;
    const pos = this.#search(node.keys, node.ids, key, rowId);
    return pos < node.keys.length && this.#cmp(node.keys[pos]!, node.ids[pos]!, key, rowId) === 0;
  }

  /**
   * A cursor on the first entry whose key is >= `key` (> when `strict`), or past the end.
   * `key` may be a bound the comparator compares on a prefix.
   */
  seek(key: K, strict: boolean): BTreeCursor<K> {
    const cmp = this.compare;
    let node = this.#root;
    while (node instanceof Inner) {
      let lo = 0;
      let hi = node.keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const c = cmp(node.keys[mid]!, key);
        if (c < 0 || (strict && c === 0)) lo = mid + 1;
        else hi = mid;
      }
      node = node.children[lo]!;
    }
    let lo = 0;
    let hi = node.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = cmp(node.keys[mid]!, key);
      if (c < 0 || (strict && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    const cursor = new BTreeCursor<K>(node, lo - 1);
    cursor.next();
    return cursor;
  }

  /** A cursor on the last entry whose key is <= `key` (< when `strict`), or before the start. */
  seekLast(key: K, strict: boolean): BTreeCursor<K> {
    const cursor = this.seek(key, !strict);
    if (cursor.leaf === null) return this.last();
    cursor.prev();
    return cursor;
  }

  /** A cursor on the first entry. */
  first(): BTreeCursor<K> {
    let node = this.#root;
    while (node instanceof Inner) node = node.children[0]!;
    const cursor = new BTreeCursor<K>(node, -1);
    cursor.next();
    return cursor;
  }

  /** A cursor on the last entry. */
  last(): BTreeCursor<K> {
    let node = this.#root;
    while (node instanceof Inner) node = node.children[node.children.length - 1]!;
    const cursor = new BTreeCursor<K>(node, node.keys.length);
    cursor.prev();
    return cursor;
  }

  /** Empties the tree. */
  clear(): void {
    this.#root = new Leaf<K>();
    this.#size = 0;
  }

  /**
   * Builds the tree from entries already sorted by (key, rowId), replacing its content: linear
   * time, full leaves (used by recovery and CREATE INDEX).
   */
  bulkLoad(keys: K[], ids: number[]): void {
    assert(keys.length === ids.length, "bulk load arrays match");
    this.clear();
    if (keys.length === 0) return;
    const per = nodeEntriesMax - nodeEntriesMax / 4;
    let level: Node<K>[] = [];
    let firstKeys: K[] = [];
    let firstIds: number[] = [];
    let prev: Leaf<K> | null = null;
    for (let i = 0; i < keys.length; i += per) {
      const leaf = new Leaf<K>();
      leaf.keys = keys.slice(i, i + per);
      leaf.ids = ids.slice(i, i + per);
      leaf.prev = prev;
      if (prev) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
      firstKeys.push(leaf.keys[0]!);
      firstIds.push(leaf.ids[0]!);
    }
    while (level.length > 1) {
      const up: Node<K>[] = [];
      const upKeys: K[] = [];
      const upIds: number[] = [];
      for (let i = 0; i < level.length; i += per) {
        const inner = new Inner<K>();
        inner.children = level.slice(i, i + per);
        inner.keys = firstKeys.slice(i + 1, i + per);
        inner.ids = firstIds.slice(i + 1, i + per);
        up.push(inner);
        upKeys.push(firstKeys[i]!);
        upIds.push(firstIds[i]!);
      }
      level = up;
      firstKeys = upKeys;
      firstIds = upIds;
    }
    this.#root = level[0]!;
    this.#size = keys.length;
  }
}
