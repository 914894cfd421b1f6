/**
 * @module db/types, the value layer of BKG-DB: the built-in type catalog, the Datum
 * representations (Numeric, Interval, PgArray), text and binary I/O, comparison and hashing,
 * casts, operators, functions, aggregates, window functions, overload resolution and the
 * EvalContext that value functions read. The binder and executor call only this file.
 */
export * from "./oids.ts";
export * from "./typmod.ts";
export * from "./context.ts";
export { Numeric } from "./numeric.ts";
export { numericStoredBytes } from "./jsonpath_ids.ts";
export {
  checkedInterval,
  formatInterval,
  Interval,
  justifyDays,
  justifyHours,
  justifyInterval,
  parseInterval,
} from "./interval.ts";
export { formatArray, parseArray, PgArray } from "./array.ts";
export { arrayAppend, arrayCat, arrayPrepend, arraySlice, arraySubscript } from "./array_ops.ts";
export { isJsonNull, JsonbNull, jsonbNull } from "./json.ts";
export {
  applyNumericTypmod,
  applyTypmod,
  formatRecord,
  hasTextIo,
  inputText,
  lookupTypeName,
  outputText,
} from "./io.ts";
export { compareJsonb, formatJsonb, type Jsonb, parseJsonb } from "./json.ts";
export { lookupZone, resolveZone, type Zone } from "./timezone.ts";
export {
  canCoerce,
  type Cast,
  castDatum,
  type CastOptions,
  type CoercionContext,
  findCast,
} from "./casts.ts";
export { type Comparator, comparator, compareArrays, hashDatum, isComparable } from "./compare.ts";
export { hasBinaryIo, recvBinary, sendBinary } from "./binary.ts";
export {
  allOperators,
  crossComparator,
  operatorByOid,
  type OperatorDef,
  type OperatorImpl,
  operatorsNamed,
} from "./operators.ts";
export {
  commonType,
  type Resolved,
  type ResolvedCoercion,
  resolveFunction,
  resolveOperator,
} from "./resolve.ts";
export {
  allFunctions,
  callScalar,
  callSet,
  defineFunction,
  defineWithDefaults,
  type FunctionDef,
  functionsNamed,
  type Volatility,
} from "./functions/registry.ts";
export { invokeFunction, invokeOperator, invokeSetFunction } from "./invoke.ts";
export { compileRegex, like, regexMatch, similarToEscape } from "./regex.ts";
import "./functions/all.ts";
export { formatText, quoteIdent, quoteLiteral } from "./functions/quote.ts";
export { toJsonb, toJsonText } from "./functions/json.ts";
export { versionText } from "./functions/misc.ts";
export {
  type AggregateDef,
  aggregatesNamed,
  type AggState,
  allAggregates,
  isAggregate,
} from "./aggregates.ts";
export { type WindowDef, windowFunctionsNamed, type WindowView } from "./window.ts";
export { resolveAggregate, resolveWindowFunction, type Signature } from "./resolve.ts";
