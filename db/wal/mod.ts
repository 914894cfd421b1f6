/**
 * @module The WAL layer's public face: record framing with LSN and CRC32C, segment files, the
 * group-commit writer, recovery reading with torn-tail cutting, the control file and the
 * checkpoint file framing, and the file interface all of it writes through.
 */
export { crc32c } from "./crc32c.ts";
export { formatLsn, type Lsn, parseLsn } from "./lsn.ts";
export { DenoFileSystem, type FileSystem, NoSyncFileSystem, type WalFile } from "./file_system.ts";
export {
  decodeRecordAt,
  encodeRecord,
  recordHeaderBytes,
  RecordType,
  type WalRecord,
} from "./record.ts";
export { listSegments, segmentName, segmentStart } from "./segments.ts";
export { WalWriter, type WalWriterOptions } from "./writer.ts";
export { readWal, truncateWal, type WalReadEnd } from "./reader.ts";
export { type ControlData, formatVersion, readControl, writeControl } from "./control.ts";
export { CheckpointFileWriter, readCheckpointFrames } from "./checkpoint_file.ts";
