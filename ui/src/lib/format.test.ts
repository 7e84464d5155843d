import { describe, expect, it } from 'vitest';
import { estimateEta, formatDuration, formatPercent, formatSize, formatSpeed, shortHash } from './format';

describe('formatSize', () => {
  it('uses bytes below 1 KiB and binary multiples, named as such, above', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1024)).toBe('1 KiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(10 * 1024 * 1024)).toBe('10 MiB');
    expect(formatSize(6_291_456)).toBe('6 MiB');
    expect(formatSize(734_003_200)).toBe('700 MiB');
    expect(formatSize(5_368_709_120)).toBe('5 GiB');
    expect(formatSize(5 * 1024 ** 4)).toBe('5 TiB');
  });
  it('keeps three significant digits', () => {
    expect(formatSize(1.234 * 1024 ** 3)).toBe('1.23 GiB');
    expect(formatSize(12.34 * 1024 ** 3)).toBe('12.3 GiB');
    expect(formatSize(123.4 * 1024 ** 3)).toBe('123 GiB');
  });
  it('follows the locale: decimal separator and French units', () => {
    expect(formatSize(1536, 'fr-FR')).toBe('1,5 Kio');
    expect(formatSize(512, 'fr-FR')).toBe('512 o');
    expect(formatSize(5 * 1024 ** 3, 'fr-FR')).toBe('5 Gio');
  });
  it('shows a dash for unknown sizes', () => {
    expect(formatSize(null)).toBe('—');
    expect(formatSize(-1)).toBe('—');
    expect(formatSize(Number.NaN)).toBe('—');
  });
});

describe('speed, ETA and durations', () => {
  it('formats speeds per second', () => {
    expect(formatSpeed(5 * 1024 * 1024)).toBe('5 MiB/s');
    expect(formatSpeed(0)).toBe('—');
  });
  it('estimates the time left', () => {
    expect(estimateEta(0, 100, 10)).toBe(10);
    expect(estimateEta(60, 100, 10)).toBe(4);
    expect(estimateEta(100, 100, 10)).toBe(0);
    expect(estimateEta(0, 100, 0)).toBeUndefined();
    expect(estimateEta(0, 0, 10)).toBeUndefined();
  });
  it('formats durations compactly', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(27.4)).toBe('27 s');
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(3600 + 7 * 60)).toBe('1 h 07 min');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3 d 4 h');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
  });
  it('formats percentages without rounding up to 100 too early', () => {
    expect(formatPercent(999, 1000)).toBe('99 %');
    expect(formatPercent(1000, 1000)).toBe('100 %');
    expect(formatPercent(5, 0)).toBe('0 %');
  });
});

describe('shortHash', () => {
  it('keeps the start and the end of a long checksum', () => {
    const w = 'd9db24f74acbb2de8717ea679b802116dda104b4daee51a3744b8791cbe100533f9d5a0bc63c821c6dc7f228a3c32a983e8b0f9405bc4d72a83d12f37897a2fd';
    expect(shortHash(w)).toBe('d9db24f74acbb2de…7897a2fd');
    expect(shortHash('abc')).toBe('abc');
  });
});
