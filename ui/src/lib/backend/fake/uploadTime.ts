// Uploads that can't finish in time, for the fake backend, worked out as the shell does
// (crates/fichier-core/src/upload_time.rs): 1fichier gives one upload about 4 hours, the
// speed is that of the recent finished uploads of 4 MiB or more (else of those running),
// and the largest file is the one that must fit.
//
// The fake knows the speed its own line is simulated at, so with nothing measured yet it
// answers at that speed rather than not at all. Its file sizes come from their names
// (sizeFromName): a name with a size in it, such as "raw-footage-80GB.mov", is that large,
// which at the browser suite's 1.5 MB/s takes about 14.8 hours: too long.
import type { Transfer, UploadTimeCheck } from '../types';

/** How long 1fichier lets one upload run, in seconds. */
export const UPLOAD_WINDOW_S = 4 * 3600;
const MEASURED_MIN_BYTES = 4 * 1024 * 1024;
const MEASURED_UPLOADS = 10;

/** Total bytes over total time of the recent large finished uploads, else the fastest running one. */
export function recentUploadSpeed(transfers: Iterable<Transfer>): number | undefined {
  const all = [...transfers];
  const done = all
    .filter((t) => t.kind === 'upload' && t.state === 'done' && t.bytesTotal >= MEASURED_MIN_BYTES)
    .filter((t) => t.startedAt != null && t.finishedAt != null && t.finishedAt > t.startedAt)
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
    .slice(0, MEASURED_UPLOADS);
  let bytes = 0;
  let ms = 0;
  for (const t of done) {
    bytes += t.bytesTotal;
    ms += (t.finishedAt ?? 0) - (t.startedAt ?? 0);
  }
  if (ms > 0) {
    const speed = Math.floor((bytes * 1000) / ms);
    return speed > 0 ? speed : undefined;
  }
  const running = all.filter((t) => t.kind === 'upload' && t.state === 'running').map((t) => t.speedBps);
  const fastest = running.length ? Math.max(...running) : 0;
  return fastest > 0 ? fastest : undefined;
}

/** Whether the largest of `files` fits in the window at `speedBps`. */
export function checkSizes(files: { path: string; size: number }[], speedBps: number | undefined): UploadTimeCheck {
  let largest: { path: string; size: number } | undefined;
  for (const f of files) if (!largest || f.size > largest.size) largest = f;
  const largestBytes = largest?.size ?? 0;
  const largestSecs = speedBps ? Math.ceil(largestBytes / Math.max(1, speedBps)) : undefined;
  return {
    files: files.length,
    totalBytes: files.reduce((s, f) => s + f.size, 0),
    largestName: largest ? largest.path.split(/[\\/]/).pop() ?? largest.path : '',
    largestBytes,
    speedBps,
    largestSecs,
    windowSecs: UPLOAD_WINDOW_S,
    tooLong: largestSecs != null && largestSecs > UPLOAD_WINDOW_S,
  };
}
