// Types shared by the UI and the desktop shell over IPC.
//
// Everything but the few window-only types below is generated from the Rust IPC types
// into `bindings.ts` (see src-tauri/src/bindings.rs); a Rust test fails when the two
// drift. Import from here, never from `bindings.ts` directly.

import type { AppError as GeneratedAppError, ErrorCode } from './bindings';

export { DEFAULT_SETTINGS, ERROR_CODES, LIMITS } from './bindings';
export type {
  AccountInfo,
  AccountNotice,
  AccountSummary,
  DownloadLink,
  ErrorCode,
  FileAttributes,
  FileDetails,
  FileEntry,
  FolderInfo,
  FolderListing,
  FtpAccount,
  HistoryPage,
  Language,
  LinkReport,
  LinkStatus,
  Offer,
  PacerReason,
  RemoteJob,
  RemoteResult,
  RemoteStatus,
  SessionState,
  Settings,
  ShareResult,
  SubFolder,
  Theme,
  Transfer,
  TransferEvent,
  TransferKind,
  TransferPhase,
  TransferState,
  UploadTimeCheck,
} from './bindings';

export type * from './backupTypes';
export type * from './serveTypes';

/** The error every command rejects with; `code` is one of the generated codes. */
export type AppError = Omit<GeneratedAppError, 'code'> & { code: ErrorCode };

/** Payload of Tauri's `tauri://drag-*` window events. */
export interface DragDropPayload {
  paths?: string[];
  /** Physical pixels relative to the window. */
  position?: { x: number; y: number };
}
