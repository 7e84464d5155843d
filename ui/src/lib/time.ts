// 1fichier dates are `YYYY-MM-DD HH:MM:SS` in French local time (Europe/Paris) with
// no zone. Paris follows the EU rule since 1996: CET (UTC+1), and CEST (UTC+2) from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
// The rule is computed here rather than read from the platform's zone database so the
// result is the same on every machine and in every test.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Epoch ms of 01:00 UTC on the last Sunday of the given month (0-based). */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const day = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month, day, 1, 0, 0);
}

/** Paris offset from UTC in minutes (60 or 120) at an instant. */
export function parisOffsetMinutesAt(epochMs: number): number {
  const year = new Date(epochMs).getUTCFullYear();
  const start = lastSundayAt1Utc(year, 2);
  const end = lastSundayAt1Utc(year, 9);
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
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(asUtc)) return null;
  // Try summer time first, then winter time; keep the first reading that is consistent.
  for (const offset of [120, 60]) {
    const candidate = asUtc - offset * 60_000;
    if (parisOffsetMinutesAt(candidate) === offset) return candidate;
  }
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
