/**
 * @module Access control lists as PostgreSQL keeps them (utils/adt/acl.c): aclitems of
 * (grantee, grantor, privileges, grant options), the hard-wired default ACL of each object kind
 * (acldefault), GRANT and REVOKE merged into an ACL, owner changes, and the aclitem text form
 * `grantee=privs/grantor` (PUBLIC is the empty grantee).
 */

/** One aclitem; `grantee` 0 is PUBLIC. `privs` and `options` are privilege letters. */
export interface AclItem {
  grantee: number;
  grantor: number;
  privs: string;
  /** The privileges held WITH GRANT OPTION (a subset of `privs`). */
  options: string;
}

/** PostgreSQL's privilege letters in bit order (ACL_ALL_RIGHTS_STR). */
export const privilegeLetters = "arwdDxtXUCTcsA";

/** Privilege names to letters (GRANT's spelling). */
export const privilegeByName: Record<string, string> = {
  insert: "a",
  select: "r",
  update: "w",
  delete: "d",
  truncate: "D",
  references: "x",
  trigger: "t",
  execute: "X",
  usage: "U",
  create: "C",
  temporary: "T",
  temp: "T",
  connect: "c",
};

/** Letters to upper-case names (messages). */
export const privilegeName: Record<string, string> = {
  a: "INSERT",
  r: "SELECT",
  w: "UPDATE",
  d: "DELETE",
  D: "TRUNCATE",
  x: "REFERENCES",
  t: "TRIGGER",
  X: "EXECUTE",
  U: "USAGE",
  C: "CREATE",
  T: "TEMPORARY",
  c: "CONNECT",
};

/** Object kinds that carry an ACL. */
export type AclObjectKind = "table" | "sequence" | "schema" | "database" | "function" | "type";

/** Every privilege an object kind supports (ACL_ALL_RIGHTS_*). */
export const allRights: Record<AclObjectKind, string> = {
  table: "arwdDxt",
  sequence: "rwU",
  schema: "UC",
  database: "CTc",
  function: "X",
  type: "U",
};

/** Privileges an object kind's column ACLs support. */
export const columnRights = "arwx";

/** Sorts privilege letters into PostgreSQL's bit order, without duplicates. */
export function normalizePrivs(letters: string): string {
  let out = "";
  for (const ch of privilegeLetters) if (letters.includes(ch)) out += ch;
  return out;
}

function union(a: string, b: string): string {
  return normalizePrivs(a + b);
}

function minus(a: string, b: string): string {
  return [...a].filter((ch) => !b.includes(ch)).join("");
}

/**
 * The hard-wired default ACL of an object (acldefault): PUBLIC's rights first (functions and
 * types: EXECUTE/USAGE, databases: TEMP and CONNECT), then the owner's, in acl.c's order.
 */
export function aclDefault(kind: AclObjectKind, owner: number): AclItem[] {
  const out: AclItem[] = [];
  if (kind === "function" || kind === "type") out.push(item(0, owner, allRights[kind]));
  if (kind === "database") out.push(item(0, owner, "Tc"));
  out.push(item(owner, owner, allRights[kind]));
  return out;
}

function item(grantee: number, grantor: number, privs: string, options = ""): AclItem {
  return { grantee, grantor, privs: normalizePrivs(privs), options: normalizePrivs(options) };
}

/** A deep copy of an ACL. */
export function cloneAcl(acl: readonly AclItem[]): AclItem[] {
  return acl.map((i) => ({ ...i }));
}

/**
 * GRANT (or, with `revoke`, REVOKE) `privs` to `grantee` as `grantor` (merge_acl_with_grant):
 * the item keyed by (grantee, grantor) gains or loses the privileges; with `grantOption` only the
 * grant options change on REVOKE (REVOKE GRANT OPTION FOR), and both change on GRANT.
 */
export function aclMerge(
  acl: readonly AclItem[],
  change: { grantee: number; grantor: number; privs: string; grantOption: boolean },
  revoke: boolean,
): AclItem[] {
  const out = cloneAcl(acl);
  const i = out.findIndex((x) => x.grantee === change.grantee && x.grantor === change.grantor);
  if (!revoke) {
    const options = change.grantOption ? change.privs : "";
    if (i < 0) out.push(item(change.grantee, change.grantor, change.privs, options));
    else {
      out[i]!.privs = union(out[i]!.privs, change.privs);
      out[i]!.options = union(out[i]!.options, options);
    }
    return out;
  }
  if (i < 0) return out;
  const it = out[i]!;
  it.options = minus(it.options, change.privs);
  if (!change.grantOption) it.privs = minus(it.privs, change.privs);
  if (it.privs === "") out.splice(i, 1);
  return out;
}

/** The ACL with `oldOwner` replaced by `newOwner` as grantee and grantor (aclnewowner). */
export function aclNewOwner(
  acl: readonly AclItem[],
  oldOwner: number,
  newOwner: number,
): AclItem[] {
  const out: AclItem[] = [];
  for (const x of acl) {
    const n = {
      ...x,
      grantee: x.grantee === oldOwner ? newOwner : x.grantee,
      grantor: x.grantor === oldOwner ? newOwner : x.grantor,
    };
    const dup = out.find((y) => y.grantee === n.grantee && y.grantor === n.grantor);
    if (dup) {
      dup.privs = union(dup.privs, n.privs);
      dup.options = union(dup.options, n.options);
    } else out.push(n);
  }
  return out;
}

/** Whether two ACLs hold the same items in any order. */
export function aclEqual(a: readonly AclItem[], b: readonly AclItem[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) =>
    b.some((y) =>
      y.grantee === x.grantee && y.grantor === x.grantor && y.privs === x.privs &&
      y.options === x.options
    )
  );
}

/** A role name as aclitemout writes it: double-quoted unless plain. */
function putId(name: string): string {
  if (/^[A-Za-z0-9_]+$/.test(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The text form of an aclitem: `grantee=privs/grantor`, `*` after a privilege held with grant
 * option, an empty grantee for PUBLIC.
 *
 * @example
 * aclItemText({ grantee: 0, grantor: 10, privs: "r", options: "" }, (o) => "postgres") // "=r/postgres"
 */
export function aclItemText(it: AclItem, roleName: (oid: number) => string): string {
  let privs = "";
  for (const ch of it.privs) privs += it.options.includes(ch) ? `${ch}*` : ch;
  const grantee = it.grantee === 0 ? "" : putId(roleName(it.grantee));
  return `${grantee}=${privs}/${putId(roleName(it.grantor))}`;
}
