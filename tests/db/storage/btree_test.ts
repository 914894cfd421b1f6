import assert from "node:assert/strict";
import { BTree, compareDatum, compareTuples } from "../../../db/storage/mod.ts";
import { randInt, rng } from "../helpers.ts";

type Entry = [number, number];
const cmpEntry = (a: Entry, b: Entry) => a[0] - b[0] || a[1] - b[1];

function collect(t: BTree<number>): Entry[] {
  const out: Entry[] = [];
  const c = t.first();
  if (c.leaf !== null) { do out.push([c.key, c.rowId]); while (c.next()); }
  return out;
}

Deno.test("btree matches a sorted-array model under random inserts and deletes", () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    const r = rng(seed);
    const tree = new BTree<number>((a, b) => a - b);
    let model: Entry[] = [];
    for (let step = 0; step < 6000; step++) {
      const e: Entry = [randInt(r, 300), randInt(r, 20)];
      const has = model.some((m) => m[0] === e[0] && m[1] === e[1]);
      if (r() < 0.6) {
        assert.equal(tree.insert(e[0], e[1]), !has, `seed ${seed} step ${step}`);
        if (!has) model.push(e);
      } else {
        assert.equal(tree.delete(e[0], e[1]), has, `seed ${seed} step ${step}`);
        if (has) model = model.filter((m) => !(m[0] === e[0] && m[1] === e[1]));
      }
      if (step % 500 === 0) {
        model.sort(cmpEntry);
        assert.deepEqual(collect(tree), model, `seed ${seed}`);
      }
    }
    model.sort(cmpEntry);
    assert.deepEqual(collect(tree), model, `seed ${seed}`);
    assert.equal(tree.size, model.length);
    // Range seeks, forward and backward, inclusive and exclusive.
    for (let q = 0; q < 200; q++) {
      const k = randInt(r, 320) - 10;
      const strict = r() < 0.5;
      const c = tree.seek(k, strict);
      const want = model.find((m) => (strict ? m[0] > k : m[0] >= k));
      assert.deepEqual(c.leaf === null ? undefined : [c.key, c.rowId], want, `seek ${k} ${strict}`);
      const b = tree.seekLast(k, strict);
      const wantLast = model.findLast((m) => (strict ? m[0] < k : m[0] <= k));
      assert.deepEqual(b.leaf === null ? undefined : [b.key, b.rowId], wantLast, `seekLast ${k}`);
    }
    // Walking backward from the end gives the model reversed.
    const back: Entry[] = [];
    const c = tree.last();
    if (c.leaf !== null) { do back.push([c.key, c.rowId]); while (c.prev()); }
    assert.deepEqual(back, model.toReversed());
  }
});

Deno.test("btree bulk load builds the same tree as inserts", () => {
  const r = rng(7);
  const entries: Entry[] = [];
  for (let i = 0; i < 5000; i++) entries.push([randInt(r, 1000), i]);
  entries.sort(cmpEntry);
  const tree = new BTree<number>((a, b) => a - b);
  tree.bulkLoad(entries.map((e) => e[0]), entries.map((e) => e[1]));
  assert.deepEqual(collect(tree), entries);
  for (const e of entries.slice(0, 2500)) assert.ok(tree.delete(e[0], e[1]));
  assert.ok(tree.insert(-1, 0));
  assert.deepEqual(collect(tree), [[-1, 0], ...entries.slice(2500)]);
});

Deno.test("default comparator puts NULLs last and compares tuples on their common prefix", () => {
  assert.ok(compareDatum(null, 5) > 0);
  assert.ok(compareDatum(5, null) < 0);
  assert.equal(compareDatum(null, null), 0);
  assert.ok(compareDatum(2, 10n) < 0);
  assert.ok(compareDatum("a", "b") < 0);
  assert.equal(compareTuples([1, "x"], [1]), 0);
  assert.ok(compareTuples([1, "x"], [1, "y"]) < 0);
  const tree = new BTree(compareTuples);
  for (const [i, k] of [[1, "b"], [1, null], [1, "a"], [2, "a"], [0, "z"]].entries()) {
    tree.insert(k as never, i);
  }
  const keys = [];
  for (
    const c = tree.seek([1], false);
    c.leaf !== null && compareTuples(c.key, [1]) === 0;
    c.next()
  ) {
    keys.push(c.key);
  }
  assert.deepEqual(keys, [[1, "a"], [1, "b"], [1, null]]);
});
