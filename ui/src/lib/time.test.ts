import { describe, expect, it } from 'vitest';
import { parseFichierDate, parisOffsetMinutesAt, toFichierDate } from './time';
import { formatFichierDate } from './format';

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

describe('1fichier dates (Europe/Paris wall clock)', () => {
  it('reads winter dates as UTC+1 and summer dates as UTC+2', () => {
    expect(iso(parseFichierDate('2024-01-15 12:00:00'))).toBe('2024-01-15T11:00:00.000Z');
    expect(iso(parseFichierDate('2024-07-15 12:00:00'))).toBe('2024-07-15T10:00:00.000Z');
    expect(iso(parseFichierDate('2021-06-22 14:57:25'))).toBe('2021-06-22T12:57:25.000Z');
  });

  it('switches on the last Sunday of March and October', () => {
    // 2024: summer time from 31 March 01:00 UTC to 27 October 01:00 UTC.
    expect(iso(parseFichierDate('2024-03-31 01:59:59'))).toBe('2024-03-31T00:59:59.000Z');
    expect(iso(parseFichierDate('2024-03-31 03:00:00'))).toBe('2024-03-31T01:00:00.000Z');
    expect(iso(parseFichierDate('2024-10-27 03:00:00'))).toBe('2024-10-27T02:00:00.000Z');
    // 2023: 26 March and 29 October.
    expect(iso(parseFichierDate('2023-03-26 12:00:00'))).toBe('2023-03-26T10:00:00.000Z');
    expect(iso(parseFichierDate('2023-10-29 12:00:00'))).toBe('2023-10-29T11:00:00.000Z');
    expect(iso(parseFichierDate('2023-10-28 12:00:00'))).toBe('2023-10-28T10:00:00.000Z');
  });

  it('takes the summer reading for the repeated hour and moves the skipped hour forward', () => {
    expect(iso(parseFichierDate('2024-10-27 02:30:00'))).toBe('2024-10-27T00:30:00.000Z');
    expect(iso(parseFichierDate('2024-03-31 02:30:00'))).toBe('2024-03-31T01:30:00.000Z');
  });

  it('rejects malformed text', () => {
    expect(parseFichierDate('')).toBeNull();
    expect(parseFichierDate('2024-13-01')).toBeNull();
    expect(parseFichierDate('yesterday')).toBeNull();
    expect(parseFichierDate(undefined)).toBeNull();
    for (const bad of ['2026-11-03 12:00', '2026-11-03x12:00:00', '2026-1a-03 12:00:00', '2026-11-03 12:00:00 extra', '２０２６-11-03 12:00:00']) {
      expect(parseFichierDate(bad), bad).toBeNull();
    }
    // Spaces around are tolerated, and a T between date and time.
    expect(parseFichierDate(' 2026-11-03 12:00:00 ')).toBe(parseFichierDate('2026-11-03T12:00:00'));
  });

  it('round-trips through toFichierDate', () => {
    for (const text of ['2024-01-01 00:00:00', '2024-03-31 03:15:00', '2024-08-10 23:59:59', '2025-10-26 01:00:00']) {
      expect(toFichierDate(parseFichierDate(text)!)).toBe(text);
    }
  });

  it('knows the offset at an instant', () => {
    expect(parisOffsetMinutesAt(Date.UTC(2024, 0, 1))).toBe(60);
    expect(parisOffsetMinutesAt(Date.UTC(2024, 5, 1))).toBe(120);
  });

  it('shows the instant in the user time zone', () => {
    // 14:57 in Paris in June is 12:57 UTC, 08:57 in New York (EDT) and 21:57 in Tokyo.
    const text = '2021-06-22 14:57:25';
    expect(formatFichierDate(text, 'en-GB', 'UTC')).toBe('22/06/2021, 12:57');
    expect(formatFichierDate(text, 'en-GB', 'America/New_York')).toBe('22/06/2021, 08:57');
    expect(formatFichierDate(text, 'en-GB', 'Asia/Tokyo')).toBe('22/06/2021, 21:57');
    expect(formatFichierDate(text, 'en-GB', 'Europe/Paris')).toBe('22/06/2021, 14:57');
    // In the week between the US and EU changes (March 2024) New York is 5 h behind Paris, not 6.
    expect(formatFichierDate('2024-03-20 12:00:00', 'en-GB', 'America/New_York')).toBe('20/03/2024, 07:00');
    expect(formatFichierDate('2024-03-05 12:00:00', 'en-GB', 'America/New_York')).toBe('05/03/2024, 06:00');
  });
});
