// Backups: jobs that copy a local folder to a 1fichier folder, run by a schedule, a
// folder watcher or "run now". The shapes come from the Rust types (generated bindings).
import type { TransferEvent } from './bindings';

export type {
  BackupJob,
  BackupMode,
  BackupSpec,
  BackupStatus,
  FileProblem,
  RunOutcome,
  RunReport,
  Schedule,
} from './bindings';

/** Sent whenever a job's status, last run or next run changes. */
export type BackupEvent = Extract<TransferEvent, { type: 'backup' }>;

/** Everything the event stream (`subscribe`) delivers. */
export type AppEvent = TransferEvent;

