import { describe, expect, it } from 'vitest';
import { fittingBytes, roundedHours, uploadTimeText } from './uploadTime';
import type { UploadTimeCheck } from './backend/types';

const GB = 1e9;
const check: UploadTimeCheck = {
  files: 2, totalBytes: 80 * GB + 1000, largestName: 'raw-footage-80GB.mov', largestBytes: 80 * GB,
  speedBps: 1_500_000, largestSecs: Math.ceil((80 * GB) / 1_500_000), windowSecs: 4 * 3600, tooLong: true,
};

describe('the upload time warning', () => {
  it('rounds hours to one decimal and says what fits', () => {
    expect(roundedHours(53_334)).toBe(14.8);
    expect(roundedHours(14_400)).toBe(4);
    expect(fittingBytes(check)).toBe(1_500_000 * 14_400);
    expect(fittingBytes({ ...check, speedBps: undefined })).toBeUndefined();
  });

  it('names the file, its size, the time at the measured speed and the 4-hour limit', () => {
    const en = uploadTimeText(check, 'en');
    expect(en.lead).toContain('1fichier stops an upload after 4 hours');
    expect(Object.fromEntries(en.rows.map((r) => [r.testid, r.value]))).toEqual({
      'upload-time-file': 'raw-footage-80GB.mov',
      'upload-time-size': '74.5 GiB',
      'upload-time-speed': '1.43 MiB/s',
      'upload-time-estimate': 'about 14.8 hours',
      'upload-time-limit': '4 hours',
    });
    expect(en.others).toBe('This upload has 2 files (74.5 GiB in all). Each file is sent on its own, so the largest one decides.');
    expect(en.fits).toContain('files up to about 20.1 GiB');
  });

  it('speaks French, and leaves out what it does not know', () => {
    const fr = uploadTimeText({ ...check, files: 1, speedBps: undefined, largestSecs: undefined }, 'fr');
    expect(fr.lead).toContain('au bout de 4 heures');
    expect(fr.rows.map((r) => r.value)).toEqual(['raw-footage-80GB.mov', '74,5 Gio', '4 heures']);
    expect(fr.others).toBeUndefined();
    expect(fr.fits).toBeUndefined();
    const one = uploadTimeText({ ...check, largestSecs: 5400 }, 'fr');
    expect(one.rows.find((r) => r.testid === 'upload-time-estimate')?.value).toBe('environ 1,5 heure');
  });
});
