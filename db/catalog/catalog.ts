/**
 * @module An immutable view of the catalog at one moment: every object by OID plus the lookups
 * the binder needs (relations and types by schema and name, roles, databases, comments,
 * constraints and indexes of a table). Built from the rows of the catalog system table.
 */
import type {
  AuthMemberDef,
  CatalogObject,
  CommentDef,
  ConstraintDef,
  DatabaseDef,
  FunctionAclDef,
  NamespaceDef,
  PolicyDef,
  RelationDef,
  RoleDef,
  TypeDef,
} from "./defs.ts";
import { WellKnown } from "./defs.ts";

/** A snapshot of the catalog. */
export class Catalog {
  readonly byOid = new Map<number, CatalogObject>();
  readonly namespaces = new Map<string, NamespaceDef>();
  readonly roles = new Map<string, RoleDef>();
  readonly databases = new Map<string, DatabaseDef>();
  readonly #relations = new Map<string, RelationDef>();
  readonly #types = new Map<string, TypeDef>();
  readonly #typesByOid = new Map<number, TypeDef>();
  readonly #constraints = new Map<number, ConstraintDef[]>();
  readonly #indexes = new Map<number, RelationDef[]>();
  readonly #sequencesOwned = new Map<number, RelationDef[]>();
  readonly #comments = new Map<string, CommentDef>();
  /** Memberships by member role OID (the roles it is a direct member of). */
  readonly #memberOf = new Map<number, AuthMemberDef[]>();
  /** Row-level security policies by table OID. */
  readonly #policies = new Map<number, PolicyDef[]>();
  /** Function ACLs by function identity (`schema.name(argtype oids)`). */
  readonly #functionAcls = new Map<string, FunctionAclDef>();
  /** FKs that reference a table, by referenced table OID. */
  readonly #referencing = new Map<number, ConstraintDef[]>();

  constructor(
    objects: Iterable<CatalogObject>,
    readonly version: number,
    /** The database whose objects these are (pg_database_owner's member is its owner). */
    readonly databaseOid: number = WellKnown.postgresDb,
  ) {
    for (const o of objects) this.#add(o);
  }

  #add(o: CatalogObject): void {
    this.byOid.set(o.oid, o);
    switch (o.objKind) {
      case "namespace":
        this.namespaces.set(o.name, o);
        break;
      case "role":
        this.roles.set(o.name, o);
        break;
      case "database":
        this.databases.set(o.name, o);
        break;
      case "auth_member":
        push(this.#memberOf, o.member, o);
        break;
      case "relation":
        this.#relations.set(`${o.schema}.${o.name}`, o);
        if (o.kind === "i" && o.index) push(this.#indexes, o.index.table, o);
        if (o.kind === "S" && o.ownedBy) push(this.#sequencesOwned, o.ownedBy[0], o);
        break;
      case "type":
        this.#types.set(`${o.schema}.${o.name}`, o);
        this.#typesByOid.set(o.oid, o);
        this.#typesByOid.set(o.arrayOid, o);
        break;
      case "constraint":
        push(this.#constraints, o.table, o);
        if (o.fk) push(this.#referencing, o.fk.refTable, o);
        break;
      case "policy":
        push(this.#policies, o.table, o);
        break;
      case "function_acl":
        this.#functionAcls.set(o.func, o);
        break;
      case "comment":
        this.#comments.set(`${o.classOid}.${o.objOid}.${o.subId}`, o);
        break;
    }
  }

  /** All objects of one kind. */
  all<K extends CatalogObject["objKind"]>(kind: K): Extract<CatalogObject, { objKind: K }>[] {
    const out: Extract<CatalogObject, { objKind: K }>[] = [];
    for (const o of this.byOid.values()) {
      if (o.objKind === kind) out.push(o as Extract<CatalogObject, { objKind: K }>);
    }
    return out;
  }

  relation(schemaOid: number, name: string): RelationDef | undefined {
    return this.#relations.get(`${schemaOid}.${name}`);
  }

  relationByOid(oid: number): RelationDef | undefined {
    const o = this.byOid.get(oid);
    return o?.objKind === "relation" ? o : undefined;
  }

  type(schemaOid: number, name: string): TypeDef | undefined {
    return this.#types.get(`${schemaOid}.${name}`);
  }

  /** A user type by its OID or its array type's OID. */
  typeByOid(oid: number): TypeDef | undefined {
    return this.#typesByOid.get(oid);
  }

  namespaceByOid(oid: number): NamespaceDef | undefined {
    const o = this.byOid.get(oid);
    return o?.objKind === "namespace" ? o : undefined;
  }

  roleByOid(oid: number): RoleDef | undefined {
    const o = this.byOid.get(oid);
    return o?.objKind === "role" ? o : undefined;
  }

  /** The direct memberships of role `member`. */
  membershipsOf(member: number): AuthMemberDef[] {
    return this.#memberOf.get(member) ?? [];
  }

  /**
   * Whether `member` has the privileges of `role` (PostgreSQL's has_privs_of_role): the same
   * role, a superuser, or a member through a chain of grants where every intermediate role
   * inherits.
   */
  roleHasPrivsOf(member: number, role: number): boolean {
    if (member === role) return true;
    if (this.roleByOid(member)?.superuser) return true;
    if (role === WellKnown.pgDatabaseOwner && this.#ownsDatabase(member, true)) return true;
    return this.#reaches(member, role, true);
  }

  /** Whether `member` is a member of `role`, directly or indirectly, inheriting or not. */
  roleIsMemberOf(member: number, role: number): boolean {
    if (role === WellKnown.pgDatabaseOwner && this.#ownsDatabase(member, false)) return true;
    return member === role || this.#reaches(member, role, false);
  }

  /** pg_database_owner's implicit member: the owner of the database (PostgreSQL 14+). */
  #ownsDatabase(member: number, inherit: boolean): boolean {
    const db = this.byOid.get(this.databaseOid);
    if (db?.objKind !== "database" || db.owner === WellKnown.pgDatabaseOwner) return false;
    return inherit ? this.roleHasPrivsOf(member, db.owner) : this.roleIsMemberOf(member, db.owner);
  }

  #reaches(member: number, role: number, inheritOnly: boolean): boolean {
    const seen = new Set<number>([member]);
    const queue = [member];
    while (queue.length > 0) {
      const m = queue.shift()!;
      if (inheritOnly && this.roleByOid(m)?.inherit === false) continue;
      for (const g of this.membershipsOf(m)) {
        if (g.role === role) return true;
        if (!seen.has(g.role)) {
          seen.add(g.role);
          queue.push(g.role);
        }
      }
    }
    return false;
  }

  constraintsOf(tableOid: number): ConstraintDef[] {
    return this.#constraints.get(tableOid) ?? [];
  }

  indexesOf(tableOid: number): RelationDef[] {
    return this.#indexes.get(tableOid) ?? [];
  }

  sequencesOwnedBy(tableOid: number): RelationDef[] {
    return this.#sequencesOwned.get(tableOid) ?? [];
  }

  /** The row-level security policies of a table, sorted by name. */
  policiesOf(tableOid: number): PolicyDef[] {
    const list = this.#policies.get(tableOid);
    if (list === undefined) return [];
    return [...list].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }

  referencingKeys(tableOid: number): ConstraintDef[] {
    return this.#referencing.get(tableOid) ?? [];
  }

  /** The stored ACL row of the function with identity `func`, if GRANT/REVOKE made one. */
  functionAcl(func: string): FunctionAclDef | undefined {
    return this.#functionAcls.get(func);
  }

  comment(classOid: number, objOid: number, subId = 0): CommentDef | undefined {
    return this.#comments.get(`${classOid}.${objOid}.${subId}`);
  }

  /** A schema's name, "pg_catalog" for built-ins. */
  schemaName(oid: number): string {
    return this.namespaceByOid(oid)?.name ?? "pg_catalog";
  }

  /** Whether `oid` names a constraint or relation (name clash checks within a schema). */
  relationNameTaken(schemaOid: number, name: string): boolean {
    return this.#relations.has(`${schemaOid}.${name}`) || this.#types.has(`${schemaOid}.${name}`);
  }

  /** The next free OID at or above PostgreSQL's first normal OID. */
  maxOid(): number {
    let m = 16383;
    for (const o of this.byOid.values()) {
      if (o.oid > m) m = o.oid;
      if (o.objKind === "type" && o.arrayOid > m) m = o.arrayOid;
    }
    return m;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [v]);
  else list.push(v);
}

export { WellKnown };
