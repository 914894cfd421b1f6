/**
 * @module Every SQLSTATE BKG-DB raises, with PostgreSQL's values (Appendix A of its manual), and
 * `DbError`, the one error type for expected failures (CONVENTIONS.md, "Errors": kind 2). Add a
 * code here before raising it; never write a SQLSTATE literal elsewhere.
 */

/** SQLSTATE codes by PostgreSQL's condition name. */
export const SqlState = {
  successfulCompletion: "00000",
  warning: "01000",
  noData: "02000",
  featureNotSupported: "0A000",
  invalidTransactionInitiation: "0B000",
  invalidGrantor: "0L000",
  invalidGrantOperation: "0LP01",
  invalidRoleSpecification: "0P000",
  cardinalityViolation: "21000",
  dataException: "22000",
  stringDataRightTruncation: "22001",
  nullValueNoIndicatorParameter: "22002",
  numericValueOutOfRange: "22003",
  nullValueNotAllowed: "22004",
  errorInAssignment: "22005",
  invalidDatetimeFormat: "22007",
  datetimeFieldOverflow: "22008",
  invalidTimeZoneDisplacementValue: "22009",
  invalidParameterValue: "22023",
  sequenceGeneratorLimitExceeded: "2200H",
  invalidEscapeCharacter: "22019",
  invalidRegularExpression: "2201B",
  invalidRowCountInLimitClause: "2201W",
  invalidRowCountInResultOffsetClause: "2201X",
  invalidArgumentForLogarithm: "2201E",
  invalidArgumentForPowerFunction: "2201F",
  invalidArgumentForWidthBucketFunction: "2201G",
  invalidArgumentForNtile: "22014",
  invalidPrecedingOrFollowingSize: "22013",
  invalidArgumentForNthValue: "22016",
  arraySubscriptError: "2202E",
  characterNotInRepertoire: "22021",
  indicatorOverflow: "22022",
  intervalFieldOverflow: "22015",
  divisionByZero: "22012",
  invalidEscapeSequence: "22025",
  stringDataLengthMismatch: "22026",
  substringError: "22011",
  trimError: "22027",
  untranslatableCharacter: "22P05",
  invalidTextRepresentation: "22P02",
  invalidBinaryRepresentation: "22P03",
  badCopyFileFormat: "22P04",
  floatingPointException: "22P01",
  invalidJsonText: "22P02",
  sqlJsonMemberNotFound: "2203A",
  invalidArgumentForSqlJsonDatetimeFunction: "22031",
  invalidSqlJsonSubscript: "22033",
  nonNumericSqlJsonItem: "22036",
  singletonSqlJsonItemRequired: "22038",
  sqlJsonArrayNotFound: "22039",
  sqlJsonNumberNotFound: "2203B",
  sqlJsonObjectNotFound: "2203C",
  invalidTableSampleArgument: "2202H",
  integrityConstraintViolation: "23000",
  restrictViolation: "23001",
  notNullViolation: "23502",
  foreignKeyViolation: "23503",
  uniqueViolation: "23505",
  checkViolation: "23514",
  exclusionViolation: "23P01",
  invalidCursorState: "24000",
  invalidTransactionState: "25000",
  activeSqlTransaction: "25001",
  readOnlySqlTransaction: "25006",
  noActiveSqlTransaction: "25P01",
  inFailedSqlTransaction: "25P02",
  idleInTransactionSessionTimeout: "25P03",
  invalidSqlStatementName: "26000",
  triggeredDataChangeViolation: "27000",
  invalidAuthorizationSpecification: "28000",
  invalidPassword: "28P01",
  dependentPrivilegeDescriptorsStillExist: "2B000",
  dependentObjectsStillExist: "2BP01",
  invalidTransactionTermination: "2D000",
  invalidCursorName: "34000",
  invalidSavepointSpecification: "3B001",
  invalidCatalogName: "3D000",
  invalidSchemaName: "3F000",
  transactionRollback: "40000",
  serializationFailure: "40001",
  statementCompletionUnknown: "40003",
  deadlockDetected: "40P01",
  syntaxErrorOrAccessRuleViolation: "42000",
  syntaxError: "42601",
  insufficientPrivilege: "42501",
  cannotCoerce: "42846",
  groupingError: "42803",
  windowingError: "42P20",
  invalidRecursion: "42P19",
  invalidForeignKey: "42830",
  invalidName: "42602",
  nameTooLong: "42622",
  reservedName: "42939",
  datatypeMismatch: "42804",
  indeterminateDatatype: "42P18",
  collationMismatch: "42P21",
  indeterminateCollation: "42P22",
  wrongObjectType: "42809",
  undefinedColumn: "42703",
  undefinedFunction: "42883",
  undefinedTable: "42P01",
  undefinedParameter: "42P02",
  undefinedObject: "42704",
  duplicateColumn: "42701",
  duplicateCursor: "42P03",
  duplicateDatabase: "42P04",
  duplicateFunction: "42723",
  duplicatePreparedStatement: "42P05",
  duplicateSchema: "42P06",
  duplicateTable: "42P07",
  duplicateAlias: "42712",
  duplicateObject: "42710",
  ambiguousColumn: "42702",
  ambiguousFunction: "42725",
  ambiguousParameter: "42P08",
  ambiguousAlias: "42P09",
  invalidColumnReference: "42P10",
  generatedAlways: "428C9",
  invalidColumnDefinition: "42611",
  invalidCursorDefinition: "42P11",
  invalidDatabaseDefinition: "42P12",
  invalidFunctionDefinition: "42P13",
  invalidPreparedStatementDefinition: "42P14",
  invalidSchemaDefinition: "42P15",
  invalidTableDefinition: "42P16",
  invalidObjectDefinition: "42P17",
  withCheckOptionViolation: "44000",
  insufficientResources: "53000",
  diskFull: "53100",
  outOfMemory: "53200",
  tooManyConnections: "53300",
  configurationLimitExceeded: "53400",
  programLimitExceeded: "54000",
  statementTooComplex: "54001",
  tooManyColumns: "54011",
  tooManyArguments: "54023",
  objectNotInPrerequisiteState: "55000",
  objectInUse: "55006",
  cantChangeRuntimeParam: "55P02",
  lockNotAvailable: "55P03",
  operatorIntervention: "57000",
  queryCanceled: "57014",
  adminShutdown: "57P01",
  crashShutdown: "57P02",
  cannotConnectNow: "57P03",
  databaseDropped: "57P04",
  systemError: "58000",
  ioError: "58030",
  undefinedFile: "58P01",
  duplicateFile: "58P02",
  configFileError: "F0000",
  plpgsqlError: "P0000",
  raiseException: "P0001",
  internalError: "XX000",
  dataCorrupted: "XX001",
  indexCorrupted: "XX002",
  protocolViolation: "08P01",
  connectionException: "08000",
  connectionFailure: "08006",
} as const;

/** A SQLSTATE value from {@link SqlState}. */
export type SqlStateCode = typeof SqlState[keyof typeof SqlState];

/** The severities PostgreSQL sends. */
export type Severity =
  | "ERROR"
  | "FATAL"
  | "PANIC"
  | "WARNING"
  | "NOTICE"
  | "DEBUG"
  | "INFO"
  | "LOG";

/** The optional fields of an ErrorResponse. */
export interface DbErrorFields {
  severity?: Severity;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement text. */
  position?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
}

/**
 * An expected failure with PostgreSQL's anatomy. Messages follow PostgreSQL's style: lowercase,
 * no trailing period.
 *
 * @example
 * throw new DbError(SqlState.undefinedTable, `relation "${name}" does not exist`, { position: 15 });
 */
export class DbError extends Error {
  readonly severity: Severity;
  constructor(readonly code: SqlStateCode, message: string, readonly fields: DbErrorFields = {}) {
    super(message);
    this.name = "DbError";
    this.severity = fields.severity ?? "ERROR";
  }
}
