// Human-readable sizes, speeds, durations and dates. Pure functions, unit tested.
import { parseFichierDate } from './time';

// Sizes are binary multiples and say so: 1 KiB = 1024 B (in French, octets: 1 Kio).
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const UNITS_FR = ['o', 'Kio', 'Mio', 'Gio', 'Tio', 'Pio'];

// Long lists format thousands of sizes: one formatter per locale and precision.
const sizeFormats = new Map<string, Intl.NumberFormat>();
function sizeNumber(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let f = sizeFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    sizeFormats.set(key, f);
  }
  return f;
}

/** Binary multiples with their binary names (KiB, MiB…; Kio, Mio… in French). */
export function formatSize(bytes: number | null | undefined, locale = 'en'): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = locale.toLowerCase().startsWith('fr') ? UNITS_FR : UNITS;
  if (bytes < 1024) return `${bytes} ${units[0]}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const text = sizeNumber(locale, digits).format(value);
  return `${text} ${units[unit]}`;
}

export function formatSpeed(bps: number | null | undefined, locale = 'en'): string {
  if (bps == null || !Number.isFinite(bps) || bps <= 0) return '—';
  return `${formatSize(Math.round(bps), locale)}/s`;
}

/** A compact duration: `45 s`, `3 min 05 s`, `2 h 07 min`, `3 d 4 h`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
}

/** Seconds left for the remaining bytes at a speed; undefined when it cannot be known. */
export function estimateEta(bytesDone: number, bytesTotal: number, speedBps: number): number | undefined {
  if (!(speedBps > 0) || !(bytesTotal > 0)) return undefined;
  const left = Math.max(0, bytesTotal - bytesDone);
  return left / speedBps;
}

export function formatPercent(done: number, total: number): string {
  if (!(total > 0)) return '0 %';
  return `${Math.min(100, Math.floor((done / total) * 100))} %`;
}

// One date formatter per locale and zone, reused by every row and every call: building
// an Intl.DateTimeFormat costs far more than formatting with one. The cache is bounded.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const DATE_FORMATS_MAX = 16;
function dateFormat(locale: string, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone,
    });
    if (dateFormats.size >= DATE_FORMATS_MAX) dateFormats.delete(dateFormats.keys().next().value!);
    dateFormats.set(key, f);
  }
  return f;
}

/**
 * Shows a 1fichier date (Paris local time) in the user's time zone.
 * `timeZone` is for tests; the default is the system's zone.
 */
export function formatFichierDate(text: string | undefined | null, locale = 'en', timeZone?: string): string {
  const ms = parseFichierDate(text);
  if (ms == null) return text ? text : '—';
  return dateFormat(locale, timeZone).format(ms);
}

export function formatEpoch(ms: number | undefined, locale = 'en', timeZone?: string): string {
  if (ms == null) return '—';
  return dateFormat(locale, timeZone).format(ms);
}

/** A checksum short enough to read and compare by eye: its start and its end. */
export function shortHash(hex: string): string {
  return hex.length <= 28 ? hex : `${hex.slice(0, 16)}…${hex.slice(-8)}`;
}
