// TEMPORARY — hand-written from docs/ipc.md until the shell's ts-rs bindings
// (AppError, ErrorCode, AppStatus) land in ../bindings/. Then delete this file
// and re-export the generated types from ./types.ts instead.

/** Stable error codes the shell sends across IPC (docs/ipc.md). */
export type ErrorCode =
  | 'wrong_passphrase'
  | 'journal_locked'
  | 'journal_damaged'
  | 'journal_in_use'
  | 'invalid_input'
  | 'not_found'
  | 'newer_format'
  | 'disk_full'
  | 'no_journal'
  | 'already_exists'
  | 'internal';

/** The error every command may reject with. */
export type AppError = { code: ErrorCode; message: string };

/** Where the app stands: no journal yet, locked, or unlocked. */
export type AppStatus = {
  state: 'no_journal' | 'locked' | 'unlocked';
  journal_dir: string;
  demo: boolean;
  auto_lock_minutes: number;
};
