/**
 * @module The planner: rewrite rules over the binder's logical plan — filters over a table scan
 * move into the scan; equality (and range) conjuncts on a btree index's leading columns make an
 * index scan; inner equi-joins become hash joins. Plans are returned as new trees.
 */
import { type BExpr, newNodeId, type PlanNode } from "./nodes.ts";
import { estimate } from "./costs.ts";
import type { TableStats } from "./stats.ts";

/** An index the planner may use. */
export interface IndexChoice {
  oid: number;
  name: string;
  slots: number[];
  types: number[];
}

let indexesOf: (tableOid: number) => IndexChoice[] = () => [];
let rowsOf: (tableOid: number) => number = () => 1000;
let statsOf: (tableOid: number) => TableStats | undefined = () => undefined;

/** The ANALYZE statistics the next plans read (the session sets its database's). */
export function setPlannerStats(fn: (tableOid: number) => TableStats | undefined): void {
  statsOf = fn;
}

/** Plans a logical plan. `indexes` lists a table's usable indexes; `rowsOf` its row count. */
export function planQuery(
  n: PlanNode,
  indexes?: (tableOid: number) => IndexChoice[],
  rows: (tableOid: number) => number = () => 1000,
): PlanNode {
  if (indexes) indexesOf = indexes;
  rowsOf = rows;
  const planned = rewrite(n);
  estimate(planned, rowsOf, statsOf);
  return planned;
}

function conj(e: BExpr): BExpr[] {
  return e.k === "and" ? e.args.flatMap(conj) : [e];
}

function hasCols(
  e: BExpr,
  test: (i: number) => boolean,
): { any: boolean; all: boolean; unsafe: boolean } {
  let any = false;
  let all = true;
  let unsafe = false;
  const walk = (x: BExpr): void => {
    switch (x.k) {
      case "col":
        any = true;
        if (!test(x.index)) all = false;
        return;
      case "sublink":
        unsafe = true;
        return;
      case "call":
        if (x.volatile) unsafe = true;
        x.args.forEach(walk);
        return;
      case "cast":
      case "not":
      case "nulltest":
      case "booltest":
        walk(x.arg);
        return;
      case "and":
      case "or":
      case "coalesce":
      case "minmax":
      case "row":
        x.args.forEach(walk);
        return;
      case "case":
        x.whens.forEach((w) => {
          walk(w.cond);
          walk(w.result);
        });
        if (x.else) walk(x.else);
        return;
      case "anyall":
        walk(x.left);
        walk(x.right);
        return;
      case "array":
        x.elems.forEach(walk);
        return;
    }
  };
  walk(e);
  return { any, all, unsafe };
}

function shift(e: BExpr, d: number): BExpr {
  const walk = (x: BExpr): BExpr => {
    switch (x.k) {
      case "col":
        return { ...x, index: x.index + d };
      case "call":
        return { ...x, args: x.args.map(walk) };
      case "cast":
      case "not":
      case "nulltest":
      case "booltest":
        return { ...x, arg: walk(x.arg) } as BExpr;
      case "and":
      case "or":
      case "coalesce":
      case "minmax":
      case "row":
        return { ...x, args: x.args.map(walk) } as BExpr;
      case "case":
        return {
          ...x,
          whens: x.whens.map((w) => ({ cond: walk(w.cond), result: walk(w.result) })),
          else: x.else ? walk(x.else) : null,
        };
      case "anyall":
        return { ...x, left: walk(x.left), right: walk(x.right) };
      case "array":
        return { ...x, elems: x.elems.map(walk) };
      default:
        return x;
    }
  };
  return d === 0 ? e : walk(e);
}

function andOf(list: BExpr[]): BExpr | null {
  return list.length === 0
    ? null
    : list.length === 1
    ? list[0]!
    : { k: "and", type: 16, typmod: -1, args: list };
}

const ints = new Set([20, 21, 23]);

function indexScan(scan: Extract<PlanNode, { op: "seqscan" }>): PlanNode {
  if (scan.filter === null) return scan;
  const cs = conj(scan.filter);
  for (const idx of indexesOf(scan.rel.oid)) {
    const eq: BExpr[] = [];
    const used = new Set<BExpr>();
    for (let k = 0; k < idx.slots.length; k++) {
      const slot = idx.slots[k]!;
      const hit = cs.find((c) => {
        if (used.has(c) || c.k !== "call" || c.op !== "=" || c.args.length !== 2) return false;
        const [a, b] = c.args as [BExpr, BExpr];
        const colSide = a.k === "col" && a.index === slot
          ? b
          : b.k === "col" && b.index === slot
          ? a
          : null;
        if (colSide === null) return false;
        const t = idx.types[k]!;
        if (!(colSide.type === t || (ints.has(colSide.type) && ints.has(t)))) return false;
        const h = hasCols(colSide, () => false);
        return !h.any && !h.unsafe;
      });
      if (hit === undefined) break;
      used.add(hit);
      const [a, b] = (hit as Extract<BExpr, { k: "call" }>).args as [BExpr, BExpr];
      eq.push(a.k === "col" && a.index === slot ? b : a);
    }
    let lower: { value: BExpr; inclusive: boolean } | null = null;
    let upper: { value: BExpr; inclusive: boolean } | null = null;
    if (eq.length < idx.slots.length) {
      const slot = idx.slots[eq.length]!;
      const t = idx.types[eq.length]!;
      for (const c of cs) {
        if (used.has(c) || c.k !== "call" || c.args.length !== 2) continue;
        const op = c.op;
        if (op !== "<" && op !== "<=" && op !== ">" && op !== ">=") continue;
        const [a, b] = c.args as [BExpr, BExpr];
        let colLeft: boolean;
        let other: BExpr;
        if (a.k === "col" && a.index === slot) [colLeft, other] = [true, b];
        else if (b.k === "col" && b.index === slot) [colLeft, other] = [false, a];
        else continue;
        if (!(other.type === t || (ints.has(other.type) && ints.has(t)))) continue;
        const h = hasCols(other, () => false);
        if (h.any || h.unsafe) continue;
        const isLower = colLeft ? op === ">" || op === ">=" : op === "<" || op === "<=";
        const inclusive = op === ">=" || op === "<=";
        if (isLower && lower === null) lower = { value: other, inclusive };
        else if (!isLower && upper === null) upper = { value: other, inclusive };
        else continue;
        used.add(c);
      }
    }
    if (eq.length === 0 && lower === null && upper === null) continue;
    const rest = cs.filter((c) => !used.has(c));
    return {
      ...scan,
      op: "indexscan",
      index: { oid: idx.oid, name: idx.name, slots: idx.slots },
      eq,
      lower,
      upper,
      indexCond: [...used],
      filter: andOf(rest),
      reverse: false,
    } as PlanNode;
  }
  return scan;
}

/**
 * Index nested loop: when the right side is a table scan with a btree index whose first column
 * is an equi-join key, and the left side is small next to the table, each left row looks its
 * matches up in the index instead of hashing the whole table.
 */
function indexNestLoop(
  n: Extract<PlanNode, { op: "join" }>,
  left: PlanNode,
  right: PlanNode,
  lk: BExpr[],
  rk: BExpr[],
  hc: BExpr[],
  rest: BExpr[],
): PlanNode | null {
  const types = ["inner", "left", "semi", "anti"];
  if (!types.includes(n.type) || right.op !== "seqscan") return null;
  const tableRows = rowsOf(right.rel.oid);
  const leftRows = estimate(left, rowsOf).rows;
  if (tableRows < 1000 || leftRows * 20 > tableRows) return null;
  for (const idx of indexesOf(right.rel.oid)) {
    const slot = idx.slots[0];
    const t0 = idx.types[0]!;
    const k = rk.findIndex((x) =>
      x.k === "col" && x.index === slot && (x.type === t0 || (ints.has(x.type) && ints.has(t0)))
    );
    if (k < 0) continue;
    const others = hc.filter((_, i) => i !== k);
    return {
      ...n,
      left,
      right,
      method: "index",
      index: { oid: idx.oid, name: idx.name },
      leftKeys: [lk[k]!],
      rightKeys: [rk[k]!],
      hashCond: [hc[k]!],
      cond: andOf([...others, ...rest]),
    };
  }
  return null;
}

/**
 * Predicate pushdown through a join: conjuncts over one side move into that side (for outer
 * joins only into the preserved side), conjuncts over both sides of an inner join join its
 * condition (so that the hash-join rule sees them). Null when nothing moves.
 */
function pushIntoJoin(cond: BExpr, j: Extract<PlanNode, { op: "join" }>): PlanNode | null {
  if (j.lateral || j.type === "full") return null;
  const lw = j.left.cols.length;
  const width = lw + j.right.cols.length;
  const toLeft: BExpr[] = [];
  const toRight: BExpr[] = [];
  const toJoin: BExpr[] = [];
  const keep: BExpr[] = [];
  for (const c of conj(cond)) {
    const onLeft = hasCols(c, (i) => i < lw);
    const onRight = hasCols(c, (i) => i >= lw && i < width);
    if (onLeft.unsafe) keep.push(c);
    else if (!onLeft.any) keep.push(c);
    else if (onLeft.all && j.type !== "right") toLeft.push(c);
    else if (onRight.all && (j.type === "inner")) toRight.push(shift(c, -lw));
    else if (j.type === "inner") toJoin.push(c);
    else keep.push(c);
  }
  if (toLeft.length === 0 && toRight.length === 0 && toJoin.length === 0) return null;
  const wrap = (n: PlanNode, list: BExpr[]): PlanNode =>
    list.length === 0
      ? n
      : { ...n, op: "filter", input: n, cond: andOf(list)!, id: newNodeId() } as PlanNode;
  const joined: PlanNode = {
    ...j,
    left: wrap(j.left, toLeft),
    right: wrap(j.right, toRight),
    cond: andOf([...(j.cond ? conj(j.cond) : []), ...toJoin]),
  };
  return keep.length === 0
    ? joined
    : { ...joined, op: "filter", input: joined, cond: andOf(keep)!, id: newNodeId() } as PlanNode;
}

function rewrite(n: PlanNode): PlanNode {
  switch (n.op) {
    case "filter": {
      if (n.input.op === "join") {
        const pushed = pushIntoJoin(n.cond, n.input);
        if (pushed !== null) return rewrite(pushed);
      }
      const input = rewrite(n.input);
      if (input.op === "seqscan") {
        const h = hasCols(n.cond, () => true);
        if (!h.unsafe) {
          return indexScan({
            ...input,
            filter: input.filter ? andOf([input.filter, n.cond]) : n.cond,
          });
        }
      }
      return { ...n, input };
    }
    case "project":
    case "sort":
    case "limit":
    case "distinct":
    case "agg":
    case "window":
    case "subquery_scan":
      return { ...n, input: rewrite(n.input) } as PlanNode;
    case "join": {
      const left = rewrite(n.left);
      const right = rewrite(n.right);
      if (n.cond === null || n.lateral || n.type === "full" || n.type === "right") {
        return { ...n, left, right };
      }
      const lw = left.cols.length;
      const lk: BExpr[] = [];
      const rk: BExpr[] = [];
      const hc: BExpr[] = [];
      const rest: BExpr[] = [];
      for (const c of conj(n.cond)) {
        if (c.k === "call" && c.op === "=" && c.args.length === 2) {
          const [a, b] = c.args as [BExpr, BExpr];
          const ha = hasCols(a, (i) => i < lw);
          const hb = hasCols(b, (i) => i >= lw);
          if (
            ha.any && ha.all && hb.any && hb.all && !ha.unsafe && !hb.unsafe && a.type === b.type
          ) {
            lk.push(a);
            rk.push(shift(b, -lw));
            hc.push(c);
            continue;
          }
          const ha2 = hasCols(b, (i) => i < lw);
          const hb2 = hasCols(a, (i) => i >= lw);
          if (
            ha2.any && ha2.all && hb2.any && hb2.all && !ha2.unsafe && !hb2.unsafe &&
            a.type === b.type
          ) {
            lk.push(b);
            rk.push(shift(a, -lw));
            hc.push(c);
            continue;
          }
        }
        rest.push(c);
      }
      if (lk.length === 0) return { ...n, left, right };
      const inl = indexNestLoop(n, left, right, lk, rk, hc, rest);
      if (inl !== null) return inl;
      return {
        ...n,
        left,
        right,
        method: "hash",
        leftKeys: lk,
        rightKeys: rk,
        hashCond: hc,
        cond: andOf(rest),
      };
    }
    case "setop":
      return { ...n, left: rewrite(n.left), right: rewrite(n.right) };
    case "recursive":
      return { ...n, base: rewrite(n.base), step: rewrite(n.step) };
    default:
      return n;
  }
}
