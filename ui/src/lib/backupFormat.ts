// Backups in words: schedules, states, what a run did and what a preview would do, and
// the editor's form turned into a spec. Pure functions of their arguments (the language
// and the current time are passed in), unit tested.
import type { AppError, BackupJob, BackupMode, BackupSpec, BackupStatus, Language, RunReport, Schedule } from './backend/types';
import { formatSize } from './format';
import { errorText, translate, type MessageKey, type Vars } from './i18n/index.svelte';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const tag = (lang: Language) => (lang === 'fr' ? 'fr-FR' : 'en-GB');
const num = (lang: Language, n: number) => new Intl.NumberFormat(tag(lang)).format(n);
const tr = (lang: Language, key: MessageKey, vars?: Vars) => translate(lang, key, vars);
const pad2 = (n: number) => String(n).padStart(2, '0');

export function modeText(mode: BackupMode, lang: Language): string {
  return tr(lang, mode === 'mirror' ? 'backups.mode.mirror' : 'backups.mode.copy');
}

export function scheduleOnly(schedule: Schedule, lang: Language): string {
  switch (schedule.kind) {
    case 'every':
      return tr(lang, 'backups.schedule.every', { n: schedule.hours });
    case 'daily':
      return tr(lang, 'backups.schedule.daily', { time: `${pad2(schedule.hour)}:${pad2(schedule.minute)}` });
    default:
      return tr(lang, 'backups.schedule.manual');
  }
}

/** "Daily at 03:00", "Every 6 hours · watching", "Manual". */
export function scheduleText(spec: Pick<BackupSpec, 'schedule' | 'watch'>, lang: Language): string {
  const words = scheduleOnly(spec.schedule, lang);
  return spec.watch ? tr(lang, 'backups.schedule.watching', { schedule: words }) : words;
}

/** Scanning, hashing, uploading or organizing: a run is under way. */
export function isRunning(status: BackupStatus): boolean {
  return status.state === 'scanning' || status.state === 'hashing' || status.state === 'uploading' || status.state === 'organizing';
}

export type StatusTone = 'running' | 'paused' | 'ok' | 'warn' | 'error' | 'muted';

/** What a job is doing, or how it stands, with the tone it is shown in. */
export function statusInfo(job: BackupJob, lang: Language): { text: string; tone: StatusTone } {
  const s = job.status;
  switch (s.state) {
    case 'scanning':
      return { text: tr(lang, 'backups.status.scanning', { n: s.files }), tone: 'running' };
    case 'hashing':
      return { text: tr(lang, 'backups.status.hashing', { done: num(lang, s.done), total: num(lang, s.total) }), tone: 'running' };
    case 'uploading':
      return { text: tr(lang, 'backups.status.uploading', { done: num(lang, s.done), total: num(lang, s.total) }), tone: 'running' };
    case 'organizing':
      return { text: tr(lang, 'backups.status.organizing'), tone: 'running' };
  }
  if (job.paused || s.state === 'paused') return { text: tr(lang, 'backups.status.paused'), tone: 'paused' };
  const last = job.lastRun;
  if (job.interrupted || last?.outcome === 'interrupted') return { text: tr(lang, 'backups.status.interrupted'), tone: 'warn' };
  if (!last) return { text: tr(lang, 'backups.status.never'), tone: 'muted' };
  if (last.outcome === 'failed') return { text: tr(lang, 'backups.status.failed'), tone: 'error' };
  if (last.outcome === 'partial' || last.errors.length > 0) {
    return { text: tr(lang, 'backups.notBackedUp', { n: last.errors.length }), tone: 'warn' };
  }
  return { text: tr(lang, 'backups.status.idle'), tone: 'ok' };
}

export function statusText(job: BackupJob, lang: Language): string {
  return statusInfo(job, lang).text;
}

/**
 * How far the current step is, in percent: uploads by bytes (by files when sizes are
 * unknown), checksums and server-side moves by count; null while scanning or idle.
 */
export function progressPercent(status: BackupStatus): number | null {
  let done: number, total: number;
  if (status.state === 'uploading') [done, total] = status.bytesTotal > 0 ? [status.bytesDone, status.bytesTotal] : [status.done, status.total];
  else if (status.state === 'hashing' || status.state === 'organizing') [done, total] = [status.done, status.total];
  else return null;
  return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
}

/** A span of time, rounded the way people say it: "5 min", "2 h", "3 days". */
export function spanText(ms: number, lang: Language): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return tr(lang, 'backups.span.min', { n: Math.max(1, minutes) });
  const hours = Math.round(ms / HOUR);
  if (hours < 48) return tr(lang, 'backups.span.h', { n: hours });
  return tr(lang, 'backups.span.d', { n: Math.round(ms / DAY) });
}

/** "5 min ago", "just now". */
export function agoText(at: number, now: number, lang: Language): string {
  const ms = now - at;
  return ms < MINUTE ? tr(lang, 'backups.justNow') : tr(lang, 'backups.ago', { span: spanText(ms, lang) });
}

/** What a run did, the nonzero parts only: "12 uploaded", "3 moved"… */
export function runParts(r: RunReport, lang: Language): string[] {
  const parts: [number, MessageKey][] = [
    [r.uploaded, 'backups.did.uploaded'],
    [r.moved, 'backups.did.moved'],
    [r.copied, 'backups.did.copied'],
    [r.trashed, 'backups.did.trashed'],
    [r.versioned, 'backups.did.versioned'],
    [r.adopted, 'backups.did.adopted'],
    [r.expired, 'backups.did.expired'],
    [r.missing, 'backups.did.missing'],
    [r.errors.length, 'backups.notBackedUp'],
  ];
  return parts.filter(([n]) => n > 0).map(([n, key]) => tr(lang, key, { n }));
}

/** "Last run 5 min ago: 12 uploaded, 3 moved"; null before the first run. */
export function lastRunText(r: RunReport | undefined, now: number, lang: Language): string | null {
  if (!r) return null;
  const when = agoText(r.finishedAt ?? r.startedAt, now, lang);
  if (r.outcome === 'failed') return tr(lang, 'backups.lastRunFailed', { when });
  const parts = runParts(r, lang);
  return tr(lang, 'backups.lastRun', { when, what: parts.length ? parts.join(', ') : tr(lang, 'backups.nothingChanged') });
}

/** "Next run in 2 h"; null when nothing is scheduled (manual or paused). */
export function nextRunText(job: BackupJob, now: number, lang: Language): string | null {
  if (job.paused || job.nextRunAt == null) return null;
  const ms = job.nextRunAt - now;
  return ms <= 30_000 ? tr(lang, 'backups.nextRunSoon') : tr(lang, 'backups.nextRun', { span: spanText(ms, lang) });
}

/**
 * What a dry run found, the nonzero parts only: "Would upload 120 files (3.2 MiB), move 4,
 * move 2 to the trash, keep 3 earlier versions; 1,980 unchanged; 2 still being written".
 */
export function previewText(r: RunReport, lang: Language): string {
  const actions: string[] = [];
  if (r.uploaded > 0) actions.push(tr(lang, 'backups.would.upload', { n: r.uploaded, size: formatSize(r.uploadedBytes, tag(lang)) }));
  const rest: [number, MessageKey][] = [
    [r.moved, 'backups.would.move'],
    [r.copied, 'backups.would.copy'],
    [r.trashed, 'backups.would.trash'],
    [r.versioned, 'backups.would.version'],
    [r.adopted, 'backups.would.adopt'],
    [r.expired, 'backups.would.expire'],
  ];
  for (const [n, key] of rest) if (n > 0) actions.push(tr(lang, key, { n }));
  const segments = [actions.length ? tr(lang, 'backups.would.sentence', { list: actions.join(', ') }) : tr(lang, 'backups.would.nothing')];
  const notes: [number, MessageKey][] = [
    [r.unchanged, 'backups.would.unchanged'],
    [r.waiting, 'backups.would.waiting'],
    [r.excluded, 'backups.would.excluded'],
    [r.errors.length, 'backups.would.problems'],
  ];
  for (const [n, key] of notes) if (n > 0) segments.push(tr(lang, key, { n }));
  return segments.join(tr(lang, 'backups.sep'));
}

// ——— the editor ———

export type BackupField = 'name' | 'source' | 'folder' | 'mode' | 'schedule' | 'versions' | 'trashDays' | 'excludes';
export type FieldErrors = Partial<Record<BackupField, string>>;

/** What the editor holds; numbers stay as typed (null when the field is empty). */
export interface BackupForm {
  name: string;
  source: string;
  folderId: number | null;
  folderLabel: string;
  mode: BackupMode;
  scheduleKind: Schedule['kind'];
  everyHours: number | string | null;
  dailyHour: number | string | null;
  dailyMinute: number | string | null;
  watch: boolean;
  versions: number | string | null;
  trashDays: number | string | null;
  /** One gitignore-style pattern per line. */
  excludes: string;
}

export function emptyForm(): BackupForm {
  return {
    name: '', source: '', folderId: null, folderLabel: '', mode: 'copy', scheduleKind: 'daily',
    everyHours: 6, dailyHour: 3, dailyMinute: 0, watch: false, versions: 5, trashDays: 30, excludes: '',
  };
}

export function formFromSpec(spec: BackupSpec): BackupForm {
  const f = emptyForm();
  const s = spec.schedule;
  return {
    ...f,
    name: spec.name, source: spec.source, folderId: spec.folderId, folderLabel: spec.folderLabel, mode: spec.mode,
    scheduleKind: s.kind,
    everyHours: s.kind === 'every' ? s.hours : f.everyHours,
    dailyHour: s.kind === 'daily' ? s.hour : f.dailyHour,
    dailyMinute: s.kind === 'daily' ? s.minute : f.dailyMinute,
    watch: spec.watch, versions: spec.versions, trashDays: spec.trashDays, excludes: spec.excludes.join('\n'),
  };
}

/** Lines of the exclusions box, without blanks and `#` comments. */
export function parseExcludes(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function whole(v: number | string | null): number | null {
  if (v == null || String(v).trim() === '') return null;
  const n = Number(v);
  return Number.isInteger(n) ? n : null;
}

/**
 * The spec the form describes, or what is missing, by field. Only what the window can
 * tell alone is checked here (blanks, whole numbers); ranges are the backend's rules and
 * come back as its errors.
 */
export function specFromForm(form: BackupForm, lang: Language): { spec: BackupSpec | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!form.name.trim()) errors.name = tr(lang, 'backups.err.name');
  if (!form.source.trim()) errors.source = tr(lang, 'backups.err.source');
  if (form.folderId == null) errors.folder = tr(lang, 'backups.err.folder');
  const versions = whole(form.versions);
  if (versions == null) errors.versions = tr(lang, 'backups.err.number');
  const trashDays = whole(form.trashDays);
  if (trashDays == null) errors.trashDays = tr(lang, 'backups.err.number');
  let schedule: Schedule = { kind: 'manual' };
  if (form.scheduleKind === 'every') {
    const hours = whole(form.everyHours);
    if (hours == null) errors.schedule = tr(lang, 'backups.err.number');
    else schedule = { kind: 'every', hours };
  } else if (form.scheduleKind === 'daily') {
    const hour = whole(form.dailyHour);
    const minute = whole(form.dailyMinute);
    if (hour == null || minute == null) errors.schedule = tr(lang, 'backups.err.time');
    else schedule = { kind: 'daily', hour, minute };
  }
  if (Object.keys(errors).length > 0) return { spec: null, errors };
  return {
    spec: {
      name: form.name.trim(), source: form.source, folderId: form.folderId!, folderLabel: form.folderLabel, mode: form.mode,
      excludes: parseExcludes(form.excludes), schedule, watch: form.watch, versions: versions!, trashDays: trashDays!,
    },
    errors,
  };
}

/**
 * The field an error from the backend is about, so it is shown next to it; null when it
 * is about the whole backup. `invalid_request` messages say what is wrong in words that
 * name the field ("Keep at most 100 earlier versions."); quoted names and paths in them
 * are left out of the reading.
 */
export function fieldOfError(e: Pick<AppError, 'code' | 'message'>): BackupField | null {
  if (e.code === 'path_not_granted' || e.code === 'permission_denied' || e.code === 'source_unreadable') return 'source';
  // Not found: the 1fichier folder, unless it is the backup itself that is gone.
  if (e.code === 'not_found') return /backup/i.test(e.message) ? null : 'folder';
  if (e.code === 'name_conflict') return 'name';
  if (e.code !== 'invalid_request') return null;
  const m = e.message
    .replace(/"[^"]*"|“[^”]*”|«[^»]*»/g, '""')
    .replace(/(^|\s)(\/|[A-Za-z]:\\)\S*/g, '$1')
    .toLowerCase();
  if (/exclu|pattern/.test(m)) return 'excludes';
  if (/already named|\bname\b/.test(m)) return 'name';
  if (/1fichier folder|destination/.test(m)) return 'folder';
  if (/local folder|folder to back up|full path|is not a folder|source/.test(m)) return 'source';
  if (/version/.test(m)) return 'versions';
  if (/trash|\bdays\b/.test(m)) return 'trashDays';
  if (/\bhours?\b|minute|time of day|schedule|daily|every/.test(m)) return 'schedule';
  if (/folder/.test(m)) return 'source';
  return null;
}

/** What to say next to a field: a refused value in the backend's own words, anything else by its code. */
export function fieldErrorText(e: AppError, lang: Language): string {
  return e.code === 'invalid_request' && e.message.trim() ? e.message : errorText(e, lang);
}
