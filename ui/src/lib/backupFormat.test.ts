import { describe, expect, it } from 'vitest';
import type { BackupJob, RunReport } from './backend/types';
import {
  agoText, emptyForm, fieldErrorText, fieldOfError, formFromSpec, lastRunText, nextRunText, parseExcludes, previewText, runParts,
  progressPercent, scheduleText, spanText, specFromForm, statusInfo, statusText,
} from './backupFormat';

const NOW = Date.UTC(2025, 4, 14, 10, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

const report = (extra: Partial<RunReport> = {}): RunReport => ({
  startedAt: NOW - 10 * MIN, finishedAt: NOW - 5 * MIN, dryRun: false, outcome: 'done',
  scanned: 0, hashed: 0, uploaded: 0, uploadedBytes: 0, adopted: 0, moved: 0, copied: 0, trashed: 0, versioned: 0,
  unchanged: 0, waiting: 0, excluded: 0, expired: 0, verified: 0, missing: 0, errors: [], ...extra,
});

const job = (extra: Partial<BackupJob> = {}): BackupJob => ({
  id: 'b1',
  spec: {
    name: 'Photos', source: '/home/demo/Pictures', folderId: 7, folderLabel: '/Backups/Photos', mode: 'copy', excludes: [],
    schedule: { kind: 'daily', hour: 3, minute: 0 }, watch: false, versions: 5, trashDays: 30,
  },
  paused: false, createdAt: NOW - 30 * 24 * HOUR, status: { state: 'idle' }, interrupted: false, ...extra,
});

describe('schedules in words', () => {
  it('says manual, every N hours and daily at HH:MM, and when the folder is watched', () => {
    expect(scheduleText({ schedule: { kind: 'daily', hour: 3, minute: 0 }, watch: false }, 'en')).toBe('Daily at 03:00');
    expect(scheduleText({ schedule: { kind: 'every', hours: 6 }, watch: false }, 'en')).toBe('Every 6 hours');
    expect(scheduleText({ schedule: { kind: 'every', hours: 1 }, watch: false }, 'en')).toBe('Every hour');
    expect(scheduleText({ schedule: { kind: 'manual' }, watch: false }, 'en')).toBe('Manual');
    expect(scheduleText({ schedule: { kind: 'manual' }, watch: true }, 'en')).toBe('Manual · watching');
    expect(scheduleText({ schedule: { kind: 'daily', hour: 21, minute: 5 }, watch: false }, 'fr')).toBe('Chaque jour à 21:05');
    expect(scheduleText({ schedule: { kind: 'every', hours: 6 }, watch: false }, 'fr')).toBe('Toutes les 6 heures');
  });
});

describe('states in words', () => {
  it('tells what a run is doing, with counts written the locale’s way', () => {
    expect(statusText(job({ status: { state: 'scanning', files: 1204 } }), 'en')).toBe('Scanning 1,204 files');
    expect(statusText(job({ status: { state: 'scanning', files: 1 } }), 'en')).toBe('Scanning 1 file');
    expect(statusText(job({ status: { state: 'uploading', done: 12, total: 340, bytesDone: 1, bytesTotal: 2 } }), 'en')).toBe('Uploading 12 of 340');
    expect(statusText(job({ status: { state: 'hashing', done: 3, total: 1500 } }), 'en')).toBe('Checking changes: 3 of 1,500');
    expect(statusText(job({ status: { state: 'organizing', done: 0, total: 4 } }), 'en')).toBe('Organizing…');
    expect(statusText(job({ status: { state: 'uploading', done: 1200, total: 3400, bytesDone: 1, bytesTotal: 2 } }), 'fr'))
      .toBe(`Envoi de 1\u202f200 sur 3\u202f400`);
    expect(statusInfo(job({ status: { state: 'scanning', files: 3 } }), 'en').tone).toBe('running');
  });

  it('tells how an idle job stands: paused, interrupted, never run, failed, partial, up to date', () => {
    expect(statusText(job({ paused: true, status: { state: 'paused' } }), 'en')).toBe('Paused');
    expect(statusText(job({ interrupted: true, lastRun: report() }), 'en')).toBe('Interrupted — resumes at the next run');
    expect(statusText(job({ lastRun: report({ outcome: 'interrupted' }) }), 'en')).toBe('Interrupted — resumes at the next run');
    expect(statusText(job(), 'en')).toBe('Not backed up yet');
    expect(statusText(job({ lastRun: report({ outcome: 'failed', message: 'the folder is gone' }) }), 'en')).toBe('Last run failed');
    const partial = report({ outcome: 'partial', errors: [{ path: 'a.txt', message: 'locked' }, { path: 'b.txt', message: 'gone' }] });
    expect(statusInfo(job({ lastRun: partial }), 'en')).toEqual({ text: '2 files not backed up', tone: 'warn' });
    expect(statusInfo(job({ lastRun: report() }), 'en')).toEqual({ text: 'Up to date', tone: 'ok' });
    expect(statusText(job({ lastRun: report() }), 'fr')).toBe('À jour');
  });

  it('measures progress: uploads by bytes (by files when sizes are unknown), the other steps by count', () => {
    expect(progressPercent({ state: 'uploading', done: 1, total: 4, bytesDone: 50, bytesTotal: 200 })).toBe(25);
    expect(progressPercent({ state: 'uploading', done: 3, total: 4, bytesDone: 0, bytesTotal: 0 })).toBe(75);
    expect(progressPercent({ state: 'uploading', done: 0, total: 0, bytesDone: 0, bytesTotal: 0 })).toBe(0);
    expect(progressPercent({ state: 'hashing', done: 1, total: 3 })).toBe(33);
    expect(progressPercent({ state: 'organizing', done: 2, total: 2 })).toBe(100);
    expect(progressPercent({ state: 'scanning', files: 3 })).toBeNull();
    expect(progressPercent({ state: 'idle' })).toBeNull();
  });
});

describe('times', () => {
  it('rounds spans the way people say them', () => {
    expect(spanText(20_000, 'en')).toBe('1 min');
    expect(spanText(5 * MIN, 'en')).toBe('5 min');
    expect(spanText(59 * MIN, 'en')).toBe('59 min');
    expect(spanText(2 * HOUR + 10 * MIN, 'en')).toBe('2 h');
    expect(spanText(30 * HOUR, 'en')).toBe('30 h');
    expect(spanText(3 * 24 * HOUR, 'en')).toBe('3 days');
    expect(spanText(3 * 24 * HOUR, 'fr')).toBe('3 jours');
    expect(agoText(NOW - 10_000, NOW, 'en')).toBe('just now');
    expect(agoText(NOW - 5 * MIN, NOW, 'fr')).toBe('il y a 5 min');
  });

  it('says when the next run is, and nothing for manual or paused jobs', () => {
    expect(nextRunText(job({ nextRunAt: NOW + 2 * HOUR }), NOW, 'en')).toBe('Next run in 2 h');
    expect(nextRunText(job({ nextRunAt: NOW + 10_000 }), NOW, 'en')).toBe('Next run shortly');
    expect(nextRunText(job({ nextRunAt: NOW - HOUR }), NOW, 'en')).toBe('Next run shortly');
    expect(nextRunText(job(), NOW, 'en')).toBeNull();
    expect(nextRunText(job({ paused: true, nextRunAt: NOW + HOUR }), NOW, 'en')).toBeNull();
    expect(nextRunText(job({ nextRunAt: NOW + 9 * HOUR }), NOW, 'fr')).toBe('Prochaine exécution dans 9 h');
  });
});

describe('what a run did', () => {
  it('lists the nonzero parts only', () => {
    expect(runParts(report({ uploaded: 12, moved: 3 }), 'en')).toEqual(['12 uploaded', '3 moved']);
    expect(runParts(report({ trashed: 2, versioned: 1, adopted: 1400 }), 'en'))
      .toEqual(['2 moved to the trash', '1 earlier version kept', '1,400 already on 1fichier']);
    expect(runParts(report({ uploaded: 1, moved: 2 }), 'fr')).toEqual(['1 envoyé', '2 déplacés']);
    expect(runParts(report({ uploaded: 1, missing: 1, verified: 40 }), 'en'))
      .toEqual(['1 uploaded', '1 file gone from 1fichier sent again']);
  });

  it('sums up the last run with when it ended', () => {
    expect(lastRunText(report({ uploaded: 12, moved: 3 }), NOW, 'en')).toBe('Last run 5 min ago: 12 uploaded, 3 moved');
    expect(lastRunText(report({ unchanged: 2000 }), NOW, 'en')).toBe('Last run 5 min ago: nothing changed');
    expect(lastRunText(report({ outcome: 'failed' }), NOW, 'en')).toBe('Last run 5 min ago failed');
    const partial = report({ outcome: 'partial', uploaded: 4, errors: [{ path: 'x', message: 'y' }] });
    expect(lastRunText(partial, NOW, 'en')).toBe('Last run 5 min ago: 4 uploaded, 1 file not backed up');
    expect(lastRunText({ ...report({ uploaded: 2 }), finishedAt: undefined }, NOW, 'en')).toBe('Last run 10 min ago: 2 uploaded');
    expect(lastRunText(undefined, NOW, 'en')).toBeNull();
    expect(lastRunText(report({ uploaded: 12 }), NOW, 'fr')).toBe('Dernière exécution il y a 5 min : 12 envoyés');
  });
});

describe('what a preview would do', () => {
  const dry = report({
    dryRun: true, uploaded: 120, uploadedBytes: 3.2 * 1024 * 1024, moved: 4, copied: 0, trashed: 2, versioned: 3,
    unchanged: 1980, waiting: 2,
  });

  it('says the nonzero parts, in one sentence', () => {
    expect(previewText(dry, 'en')).toBe(
      'Would upload 120 files (3.2 MiB), move 4, move 2 to the trash, keep 3 earlier versions; 1,980 unchanged; 2 still being written',
    );
    expect(previewText(report({ dryRun: true, uploaded: 1, uploadedBytes: 2048 }), 'en')).toBe('Would upload 1 file (2 KiB)');
  });

  it('says when there is nothing to send', () => {
    expect(previewText(report({ dryRun: true, unchanged: 42, excluded: 3 }), 'en')).toBe('Nothing to send; 42 unchanged; 3 excluded');
    expect(previewText(report({ dryRun: true }), 'en')).toBe('Nothing to send');
  });

  it('is written the French way, units included', () => {
    expect(previewText(dry, 'fr')).toBe(
      'La sauvegarde enverrait 120 fichiers (3,2 Mio), en déplacerait 4, en mettrait 2 à la corbeille, garderait 3 versions antérieures'
        + ` ; 1\u202f980 inchangés ; 2 en cours d’écriture`,
    );
  });
});

describe('the editor', () => {
  const spec = job().spec;

  it('turns a spec into the form and back', () => {
    const f = formFromSpec({ ...spec, excludes: ['*.tmp', 'cache/'], schedule: { kind: 'every', hours: 12 }, watch: true });
    expect(f.excludes).toBe('*.tmp\ncache/');
    expect(f.scheduleKind).toBe('every');
    expect(f.everyHours).toBe(12);
    expect(specFromForm(f, 'en')).toEqual({
      spec: { ...spec, excludes: ['*.tmp', 'cache/'], schedule: { kind: 'every', hours: 12 }, watch: true },
      errors: {},
    });
    const daily = specFromForm({ ...formFromSpec(spec), dailyHour: '07', dailyMinute: '30' }, 'en');
    expect(daily.spec?.schedule).toEqual({ kind: 'daily', hour: 7, minute: 30 });
    const manual = specFromForm({ ...formFromSpec(spec), scheduleKind: 'manual', everyHours: 'x' }, 'en');
    expect(manual.spec?.schedule).toEqual({ kind: 'manual' });
  });

  it('says by field what is missing, and leaves ranges to the backend', () => {
    const { spec: none, errors } = specFromForm({ ...emptyForm(), versions: null, trashDays: '2.5' }, 'en');
    expect(none).toBeNull();
    expect(errors).toEqual({
      name: 'Type a name.', source: 'Choose the folder to back up.', folder: 'Choose the 1fichier folder the files go to.',
      versions: 'Type a whole number.', trashDays: 'Type a whole number.',
    });
    expect(specFromForm({ ...formFromSpec(spec), dailyMinute: '' }, 'fr').errors).toEqual({ schedule: 'Saisissez une heure et une minute.' });
    // 500 versions is the backend's to refuse.
    expect(specFromForm({ ...formFromSpec(spec), versions: 500 }, 'en').spec?.versions).toBe(500);
  });

  it('reads exclusions one per line, without blanks and comments', () => {
    expect(parseExcludes('  *.tmp \n\n# editors\n.idea/\r\nnode_modules/')).toEqual(['*.tmp', '.idea/', 'node_modules/']);
  });

  it('finds the field a backend error is about', () => {
    const bad = (message: string) => fieldOfError({ code: 'invalid_request', message });
    expect(bad('Give the backup a name.')).toBe('name');
    expect(bad('A backup name has at most 80 characters.')).toBe('name');
    expect(bad('A backup is already named "My days at the trash".')).toBe('name');
    expect(bad('Choose the folder to back up.')).toBe('source');
    expect(bad('/home/me/names and versions is not a full path to a folder.')).toBe('source');
    expect(bad('/home/me/Photos is not a folder that can be read.')).toBe('source');
    expect(bad('Choose the 1fichier folder it goes to.')).toBe('folder');
    expect(bad('The backup "Photos" already sends this folder to the same 1fichier folder.')).toBe('folder');
    expect(bad('Keep at most 100 earlier versions.')).toBe('versions');
    expect(bad('Keep removed files between 1 and 365 days.')).toBe('trashDays');
    expect(bad('Run every 1 to 168 hours.')).toBe('schedule');
    expect(bad('Choose a time of day between 00:00 and 23:59.')).toBe('schedule');
    expect(bad('an exclusion pattern is not valid: unclosed character class')).toBe('excludes');
    expect(bad('something else entirely')).toBeNull();
    expect(fieldOfError({ code: 'path_not_granted', message: '' })).toBe('source');
    expect(fieldOfError({ code: 'not_found', message: 'Resource not found #469' })).toBe('folder');
    expect(fieldOfError({ code: 'not_found', message: 'No backup named or numbered "b7".' })).toBeNull();
    expect(fieldOfError({ code: 'network', message: 'the name of the host' })).toBeNull();
  });

  it('says a refused value in the backend’s words, other errors by their code', () => {
    expect(fieldErrorText({ code: 'invalid_request', message: 'Keep at most 100 earlier versions.', retryable: false }, 'fr'))
      .toBe('Keep at most 100 earlier versions.');
    expect(fieldErrorText({ code: 'path_not_granted', message: 'x', retryable: false }, 'en'))
      .toBe('Fichier Desk only uses files and folders you picked or dropped in this window.');
  });
});
