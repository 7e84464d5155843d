// 1fichier dates are `YYYY-MM-DD HH:MM:SS` in French local time (Europe/Paris) with
// no zone. Paris follows the EU rule since 1996: CET (UTC+1), and CEST (UTC+2) from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
// The rule is computed here rather than read from the platform's zone database so the
// result is the same on every machine and in every test.

/** The number written with `n` ASCII digits at `from`, or -1. */
function digits(text: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Epoch ms of 01:00 UTC on the last Sunday of the given month (0-based). */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const day = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month, day, 1, 0, 0);
}

/** Start and end of summer time in a year, computed once per year (a listing of 5,000
 * files asks for the same few years thousands of times). */
const dstBounds = new Map<number, [number, number]>();
function summerTime(year: number): [number, number] {
  let b = dstBounds.get(year);
  if (!b) {
    b = [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)];
    dstBounds.set(year, b);
  }
  return b;
}

/** Paris offset from UTC in minutes (60 or 120) at an instant. */
export function parisOffsetMinutesAt(epochMs: number): number {
  const [start, end] = summerTime(new Date(epochMs).getUTCFullYear());
  return epochMs >= start && epochMs < end ? 120 : 60;
}

/**
 * Parses a 1fichier date into epoch milliseconds, or null when it is malformed.
 * Wall-clock times that occur twice (the October change) take the first, summer-time
 * instant; times skipped in March (02:00–02:59) are read as winter time, which lands
 * them one hour later, as a clock would show.
 */
export function parseFichierDate(text: string | undefined | null): number | null {
  if (!text) return null;
  const v = text.length === 19 ? text : text.trim();
  // Read by position (a listing has thousands of dates): `YYYY-MM-DD HH:MM:SS`.
  if (v.length !== 19 || v[4] !== '-' || v[7] !== '-' || (v[10] !== ' ' && v[10] !== 'T') || v[13] !== ':' || v[16] !== ':') {
    return null;
  }
  const y = digits(v, 0, 4), mo = digits(v, 5, 2), d = digits(v, 8, 2);
  const h = digits(v, 11, 2), mi = digits(v, 14, 2), s = digits(v, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(asUtc)) return null;
  // Try summer time first, then winter time; keep the first reading that is consistent.
  // Summer time is far from New Year, so the wall-clock year names the right bounds.
  const [start, end] = summerTime(y);
  const summer = asUtc - 120 * 60_000;
  if (summer >= start && summer < end) return summer;
  return asUtc - 60 * 60_000;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Formats an instant as a 1fichier date (Europe/Paris wall clock). */
export function toFichierDate(epochMs: number): string {
  const local = new Date(epochMs + parisOffsetMinutesAt(epochMs) * 60_000);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  );
}
