/**
 * @module The built-in type catalog: one row per type with the values PostgreSQL 15's pg_type
 * shows (clients such as psql, postgres.js and node-postgres read them), generated from a real
 * PostgreSQL 15 and kept as data. Type modifiers and `format_type` live in typmod.ts.
 */

/** One pg_type row (the columns clients and the binder read). */
export interface TypeInfo {
  oid: number;
  name: string;
  /** typlen: bytes, -1 varlena, -2 C string. */
  len: number;
  byval: boolean;
  /** typtype: b base, p pseudo, e enum, c composite, d domain, r range. */
  kind: string;
  /** typcategory: A array, B bool, D datetime, N numeric, S string, T timespan, U user, P pseudo, X unknown, Z internal. */
  category: string;
  preferred: boolean;
  /** typelem: the element type of an array type (0 otherwise). */
  elem: number;
  /** typarray: the array type whose elements are this type (0 if none). */
  array: number;
  input: string;
  output: string;
  receive: string;
  send: string;
  align: string;
  storage: string;
  /** typdelim: the array element delimiter. */
  delim: string;
}

type Row = [
  number,
  string,
  number,
  boolean,
  string,
  string,
  boolean,
  number,
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
];

// deno-fmt-ignore
const rows: Row[] = [
  [16, "bool", 1, true, "b", "B", true, 0, 1000, "boolin", "boolout", "boolrecv", "boolsend", "c", "p", -1],
  [17, "bytea", -1, false, "b", "U", false, 0, 1001, "byteain", "byteaout", "bytearecv", "byteasend", "i", "x", -1],
  [18, "char", 1, true, "b", "Z", false, 0, 1002, "charin", "charout", "charrecv", "charsend", "c", "p", -1],
  [19, "name", 64, false, "b", "S", false, 18, 1003, "namein", "nameout", "namerecv", "namesend", "c", "p", -1],
  [20, "int8", 8, true, "b", "N", false, 0, 1016, "int8in", "int8out", "int8recv", "int8send", "d", "p", -1],
  [21, "int2", 2, true, "b", "N", false, 0, 1005, "int2in", "int2out", "int2recv", "int2send", "s", "p", -1],
  [22, "int2vector", -1, false, "b", "A", false, 21, 1006, "int2vectorin", "int2vectorout", "int2vectorrecv", "int2vectorsend", "i", "p", -1],
  [23, "int4", 4, true, "b", "N", false, 0, 1007, "int4in", "int4out", "int4recv", "int4send", "i", "p", -1],
  [24, "regproc", 4, true, "b", "N", false, 0, 1008, "regprocin", "regprocout", "regprocrecv", "regprocsend", "i", "p", -1],
  [25, "text", -1, false, "b", "S", true, 0, 1009, "textin", "textout", "textrecv", "textsend", "i", "x", -1],
  [26, "oid", 4, true, "b", "N", true, 0, 1028, "oidin", "oidout", "oidrecv", "oidsend", "i", "p", -1],
  [27, "tid", 6, false, "b", "U", false, 0, 1010, "tidin", "tidout", "tidrecv", "tidsend", "s", "p", -1],
  [28, "xid", 4, true, "b", "U", false, 0, 1011, "xidin", "xidout", "xidrecv", "xidsend", "i", "p", -1],
  [29, "cid", 4, true, "b", "U", false, 0, 1012, "cidin", "cidout", "cidrecv", "cidsend", "i", "p", -1],
  [30, "oidvector", -1, false, "b", "A", false, 26, 1013, "oidvectorin", "oidvectorout", "oidvectorrecv", "oidvectorsend", "i", "p", -1],
  [114, "json", -1, false, "b", "U", false, 0, 199, "json_in", "json_out", "json_recv", "json_send", "i", "x", -1],
  [199, "_json", -1, false, "b", "A", false, 114, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [271, "_xid8", -1, false, "b", "A", false, 5069, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [600, "point", 16, false, "b", "G", false, 701, 1017, "point_in", "point_out", "point_recv", "point_send", "d", "p", -1],
  [700, "float4", 4, true, "b", "N", false, 0, 1021, "float4in", "float4out", "float4recv", "float4send", "i", "p", -1],
  [701, "float8", 8, true, "b", "N", true, 0, 1022, "float8in", "float8out", "float8recv", "float8send", "d", "p", -1],
  [705, "unknown", -2, false, "p", "X", false, 0, 0, "unknownin", "unknownout", "unknownrecv", "unknownsend", "c", "p", -1],
  [774, "macaddr8", 8, false, "b", "U", false, 0, 775, "macaddr8_in", "macaddr8_out", "macaddr8_recv", "macaddr8_send", "i", "p", -1],
  [775, "_macaddr8", -1, false, "b", "A", false, 774, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [790, "money", 8, true, "b", "N", false, 0, 791, "cash_in", "cash_out", "cash_recv", "cash_send", "d", "p", -1],
  [791, "_money", -1, false, "b", "A", false, 790, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [829, "macaddr", 6, false, "b", "U", false, 0, 1040, "macaddr_in", "macaddr_out", "macaddr_recv", "macaddr_send", "i", "p", -1],
  [1000, "_bool", -1, false, "b", "A", false, 16, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1001, "_bytea", -1, false, "b", "A", false, 17, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1002, "_char", -1, false, "b", "A", false, 18, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1003, "_name", -1, false, "b", "A", false, 19, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1005, "_int2", -1, false, "b", "A", false, 21, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1006, "_int2vector", -1, false, "b", "A", false, 22, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1007, "_int4", -1, false, "b", "A", false, 23, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1008, "_regproc", -1, false, "b", "A", false, 24, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1009, "_text", -1, false, "b", "A", false, 25, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1010, "_tid", -1, false, "b", "A", false, 27, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1011, "_xid", -1, false, "b", "A", false, 28, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1012, "_cid", -1, false, "b", "A", false, 29, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1013, "_oidvector", -1, false, "b", "A", false, 30, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1014, "_bpchar", -1, false, "b", "A", false, 1042, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1015, "_varchar", -1, false, "b", "A", false, 1043, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1016, "_int8", -1, false, "b", "A", false, 20, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [1017, "_point", -1, false, "b", "A", false, 600, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [1021, "_float4", -1, false, "b", "A", false, 700, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1022, "_float8", -1, false, "b", "A", false, 701, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [1028, "_oid", -1, false, "b", "A", false, 26, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1033, "aclitem", 12, false, "b", "U", false, 0, 1034, "aclitemin", "aclitemout", "-", "-", "i", "p", -1],
  [1034, "_aclitem", -1, false, "b", "A", false, 1033, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1040, "_macaddr", -1, false, "b", "A", false, 829, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1042, "bpchar", -1, false, "b", "S", false, 0, 1014, "bpcharin", "bpcharout", "bpcharrecv", "bpcharsend", "i", "x", -1],
  [1043, "varchar", -1, false, "b", "S", false, 0, 1015, "varcharin", "varcharout", "varcharrecv", "varcharsend", "i", "x", -1],
  [1082, "date", 4, true, "b", "D", false, 0, 1182, "date_in", "date_out", "date_recv", "date_send", "i", "p", -1],
  [1083, "time", 8, true, "b", "D", false, 0, 1183, "time_in", "time_out", "time_recv", "time_send", "d", "p", -1],
  [1114, "timestamp", 8, true, "b", "D", false, 0, 1115, "timestamp_in", "timestamp_out", "timestamp_recv", "timestamp_send", "d", "p", -1],
  [1115, "_timestamp", -1, false, "b", "A", false, 1114, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [1182, "_date", -1, false, "b", "A", false, 1082, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1183, "_time", -1, false, "b", "A", false, 1083, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [1184, "timestamptz", 8, true, "b", "D", true, 0, 1185, "timestamptz_in", "timestamptz_out", "timestamptz_recv", "timestamptz_send", "d", "p", -1],
  [1185, "_timestamptz", -1, false, "b", "A", false, 1184, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [1186, "interval", 16, false, "b", "T", true, 0, 1187, "interval_in", "interval_out", "interval_recv", "interval_send", "d", "p", -1],
  [1187, "_interval", -1, false, "b", "A", false, 1186, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [1231, "_numeric", -1, false, "b", "A", false, 1700, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1263, "_cstring", -1, false, "b", "A", false, 2275, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [1266, "timetz", 12, false, "b", "D", false, 0, 1270, "timetz_in", "timetz_out", "timetz_recv", "timetz_send", "d", "p", -1],
  [1270, "_timetz", -1, false, "b", "A", false, 1266, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [1700, "numeric", -1, false, "b", "N", false, 0, 1231, "numeric_in", "numeric_out", "numeric_recv", "numeric_send", "i", "m", -1],
  [1790, "refcursor", -1, false, "b", "U", false, 0, 2201, "textin", "textout", "textrecv", "textsend", "i", "x", -1],
  [2201, "_refcursor", -1, false, "b", "A", false, 1790, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [2202, "regprocedure", 4, true, "b", "N", false, 0, 2207, "regprocedurein", "regprocedureout", "regprocedurerecv", "regproceduresend", "i", "p", -1],
  [2203, "regoper", 4, true, "b", "N", false, 0, 2208, "regoperin", "regoperout", "regoperrecv", "regopersend", "i", "p", -1],
  [2204, "regoperator", 4, true, "b", "N", false, 0, 2209, "regoperatorin", "regoperatorout", "regoperatorrecv", "regoperatorsend", "i", "p", -1],
  [2205, "regclass", 4, true, "b", "N", false, 0, 2210, "regclassin", "regclassout", "regclassrecv", "regclasssend", "i", "p", -1],
  [2206, "regtype", 4, true, "b", "N", false, 0, 2211, "regtypein", "regtypeout", "regtyperecv", "regtypesend", "i", "p", -1],
  [2207, "_regprocedure", -1, false, "b", "A", false, 2202, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [2208, "_regoper", -1, false, "b", "A", false, 2203, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [2209, "_regoperator", -1, false, "b", "A", false, 2204, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [2210, "_regclass", -1, false, "b", "A", false, 2205, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [2211, "_regtype", -1, false, "b", "A", false, 2206, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [2249, "record", -1, false, "p", "P", false, 0, 2287, "record_in", "record_out", "record_recv", "record_send", "d", "x", -1],
  [2275, "cstring", -2, false, "p", "P", false, 0, 1263, "cstring_in", "cstring_out", "cstring_recv", "cstring_send", "c", "p", -1],
  [2276, "any", 4, true, "p", "P", false, 0, 0, "any_in", "any_out", "-", "-", "i", "p", -1],
  [2277, "anyarray", -1, false, "p", "P", false, 0, 0, "anyarray_in", "anyarray_out", "anyarray_recv", "anyarray_send", "d", "x", -1],
  [2278, "void", 4, true, "p", "P", false, 0, 0, "void_in", "void_out", "void_recv", "void_send", "i", "p", -1],
  [2279, "trigger", 4, true, "p", "P", false, 0, 0, "trigger_in", "trigger_out", "-", "-", "i", "p", -1],
  [2281, "internal", 8, true, "p", "P", false, 0, 0, "internal_in", "internal_out", "-", "-", "d", "p", -1],
  [2283, "anyelement", 4, true, "p", "P", false, 0, 0, "anyelement_in", "anyelement_out", "-", "-", "i", "p", -1],
  [2287, "_record", -1, false, "p", "P", false, 2249, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [2776, "anynonarray", 4, true, "p", "P", false, 0, 0, "anynonarray_in", "anynonarray_out", "-", "-", "i", "p", -1],
  [2949, "_txid_snapshot", -1, false, "b", "A", false, 2970, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [2950, "uuid", 16, false, "b", "U", false, 0, 2951, "uuid_in", "uuid_out", "uuid_recv", "uuid_send", "c", "p", -1],
  [2951, "_uuid", -1, false, "b", "A", false, 2950, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [2970, "txid_snapshot", -1, false, "b", "U", false, 0, 2949, "txid_snapshot_in", "txid_snapshot_out", "txid_snapshot_recv", "txid_snapshot_send", "d", "x", -1],
  [3220, "pg_lsn", 8, true, "b", "U", false, 0, 3221, "pg_lsn_in", "pg_lsn_out", "pg_lsn_recv", "pg_lsn_send", "d", "p", -1],
  [3221, "_pg_lsn", -1, false, "b", "A", false, 3220, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [3500, "anyenum", 4, true, "p", "P", false, 0, 0, "anyenum_in", "anyenum_out", "-", "-", "i", "p", -1],
  [3734, "regconfig", 4, true, "b", "N", false, 0, 3735, "regconfigin", "regconfigout", "regconfigrecv", "regconfigsend", "i", "p", -1],
  [3735, "_regconfig", -1, false, "b", "A", false, 3734, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [3769, "regdictionary", 4, true, "b", "N", false, 0, 3770, "regdictionaryin", "regdictionaryout", "regdictionaryrecv", "regdictionarysend", "i", "p", -1],
  [3770, "_regdictionary", -1, false, "b", "A", false, 3769, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [3802, "jsonb", -1, false, "b", "U", false, 0, 3807, "jsonb_in", "jsonb_out", "jsonb_recv", "jsonb_send", "i", "x", -1],
  [3807, "_jsonb", -1, false, "b", "A", false, 3802, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [3831, "anyrange", -1, false, "p", "P", false, 0, 0, "anyrange_in", "anyrange_out", "-", "-", "d", "x", -1],
  [4072, "jsonpath", -1, false, "b", "U", false, 0, 4073, "jsonpath_in", "jsonpath_out", "jsonpath_recv", "jsonpath_send", "i", "x", -1],
  [4073, "_jsonpath", -1, false, "b", "A", false, 4072, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [4089, "regnamespace", 4, true, "b", "N", false, 0, 4090, "regnamespacein", "regnamespaceout", "regnamespacerecv", "regnamespacesend", "i", "p", -1],
  [4090, "_regnamespace", -1, false, "b", "A", false, 4089, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [4096, "regrole", 4, true, "b", "N", false, 0, 4097, "regrolein", "regroleout", "regrolerecv", "regrolesend", "i", "p", -1],
  [4097, "_regrole", -1, false, "b", "A", false, 4096, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [4191, "regcollation", 4, true, "b", "N", false, 0, 4192, "regcollationin", "regcollationout", "regcollationrecv", "regcollationsend", "i", "p", -1],
  [4192, "_regcollation", -1, false, "b", "A", false, 4191, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", -1],
  [4537, "anymultirange", -1, false, "p", "P", false, 0, 0, "anymultirange_in", "anymultirange_out", "-", "-", "d", "x", -1],
  [5038, "pg_snapshot", -1, false, "b", "U", false, 0, 5039, "pg_snapshot_in", "pg_snapshot_out", "pg_snapshot_recv", "pg_snapshot_send", "d", "x", -1],
  [5039, "_pg_snapshot", -1, false, "b", "A", false, 5038, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", -1],
  [5069, "xid8", 8, true, "b", "U", false, 0, 271, "xid8in", "xid8out", "xid8recv", "xid8send", "d", "p", -1],
  [5077, "anycompatible", 4, true, "p", "P", false, 0, 0, "anycompatible_in", "anycompatible_out", "-", "-", "i", "p", -1],
  [5078, "anycompatiblearray", -1, false, "p", "P", false, 0, 0, "anycompatiblearray_in", "anycompatiblearray_out", "anycompatiblearray_recv", "anycompatiblearray_send", "d", "x", -1],
  [5079, "anycompatiblenonarray", 4, true, "p", "P", false, 0, 0, "anycompatiblenonarray_in", "anycompatiblenonarray_out", "-", "-", "i", "p", -1],

];

const byOid = new Map<number, TypeInfo>();
const byName = new Map<string, TypeInfo>();
for (const r of rows) {
  const t: TypeInfo = {
    oid: r[0],
    name: r[1],
    len: r[2],
    byval: r[3],
    kind: r[4],
    category: r[5],
    preferred: r[6],
    elem: r[7],
    array: r[8],
    input: r[9],
    output: r[10],
    receive: r[11],
    send: r[12],
    align: r[13],
    storage: r[14],
    delim: ",",
  };
  byOid.set(t.oid, t);
  byName.set(t.name, t);
}

/** The type with this OID, or undefined if BKG-DB does not know it. */
export function typeByOid(oid: number): TypeInfo | undefined {
  return byOid.get(oid);
}

/** The type with this pg_type name (`int4`, `_int4`), or undefined. */
export function typeByName(name: string): TypeInfo | undefined {
  return byName.get(name);
}

/** Every built-in type, in OID order (for pg_type). */
export function allTypes(): TypeInfo[] {
  return [...byOid.values()];
}

/** The array type of `oid` (0 if it has none). */
export function arrayOf(oid: number): number {
  return byOid.get(oid)?.array ?? 0;
}

/** The element type of array type `oid` (0 if it is not an array). */
export function elementOf(oid: number): number {
  const t = byOid.get(oid);
  return t !== undefined && t.name.startsWith("_") ? t.elem : 0;
}

/** True for the true array types (`_int4`), not int2vector/oidvector or name. */
export function isArrayType(oid: number): boolean {
  return elementOf(oid) !== 0;
}

/** True for pseudo-types (any*, record, void, unknown, …). */
export function isPseudoType(oid: number): boolean {
  return byOid.get(oid)?.kind === "p";
}

/** OIDs of the built-in types by pg_type name, for code that names a type. */
export const Oid = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int2vector: 22,
  int4: 23,
  regproc: 24,
  text: 25,
  oid: 26,
  aclitem: 1033,
  aclitemArray: 1034,
  tid: 27,
  xid: 28,
  cid: 29,
  oidvector: 30,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  regprocedure: 2202,
  regoper: 2203,
  regclass: 2205,
  jsonpath: 4072,
  money: 790,
  macaddr: 829,
  macaddr8: 774,
  point: 600,
  refcursor: 1790,
  pgSnapshot: 5038,
  txidSnapshot: 2970,
  regoperator: 2204,
  regcollation: 4191,
  regconfig: 3734,
  regdictionary: 3769,
  regtype: 2206,
  record: 2249,
  cstring: 2275,
  any: 2276,
  anyarray: 2277,
  void: 2278,
  trigger: 2279,
  internal: 2281,
  anyelement: 2283,
  anynonarray: 2776,
  uuid: 2950,
  anyenum: 3500,
  jsonb: 3802,
  regnamespace: 4089,
  regrole: 4096,
  xid8: 5069,
  anycompatible: 5077,
  anycompatiblearray: 5078,
  anycompatiblenonarray: 5079,
  pgLsn: 3220,
  boolArray: 1000,
  byteaArray: 1001,
  charArray: 1002,
  nameArray: 1003,
  int2Array: 1005,
  int4Array: 1007,
  textArray: 1009,
  int8Array: 1016,
  float4Array: 1021,
  float8Array: 1022,
  oidArray: 1028,
  bpcharArray: 1014,
  varcharArray: 1015,
  dateArray: 1182,
  timeArray: 1183,
  timestampArray: 1115,
  timestamptzArray: 1185,
  intervalArray: 1187,
  numericArray: 1231,
  timetzArray: 1270,
  uuidArray: 2951,
  jsonArray: 199,
  jsonbArray: 3807,
  recordArray: 2287,
  regclassArray: 2210,
  regtypeArray: 2211,
} as const;
