// The warning before an upload that 1fichier's time limit would likely cut: the numbers
// it shows, in words. Pure, unit tested.
import type { Language, UploadTimeCheck } from './backend/types';
import { formatSize, formatSpeed } from './format';
import { translate } from './i18n/index.svelte';

export interface UploadTimeText {
  lead: string;
  rows: { label: string; value: string; testid: string }[];
  /** Only for an upload of several files: the largest one decides. */
  others?: string;
  fits?: string;
}

/** Hours with one decimal, as said to people ("about 14.8 hours"). */
export function roundedHours(secs: number): number {
  return Math.round(secs / 360) / 10;
}

/** What fits in the window at the measured speed, in bytes (none without a speed). */
export function fittingBytes(check: UploadTimeCheck): number | undefined {
  return check.speedBps && check.speedBps > 0 ? check.speedBps * check.windowSecs : undefined;
}

export function uploadTimeText(check: UploadTimeCheck, lang: Language): UploadTimeText {
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const window = translate(lang, 'uploadTime.hours', { n: roundedHours(check.windowSecs) });
  const rows = [
    { label: translate(lang, 'uploadTime.file'), value: check.largestName, testid: 'upload-time-file' },
    { label: translate(lang, 'uploadTime.size'), value: formatSize(check.largestBytes, locale), testid: 'upload-time-size' },
  ];
  if (check.speedBps) rows.push({ label: translate(lang, 'uploadTime.speed'), value: formatSpeed(check.speedBps, locale), testid: 'upload-time-speed' });
  if (check.largestSecs != null) {
    rows.push({ label: translate(lang, 'uploadTime.estimate'), value: translate(lang, 'uploadTime.about', { n: roundedHours(check.largestSecs) }), testid: 'upload-time-estimate' });
  }
  rows.push({ label: translate(lang, 'uploadTime.limit'), value: window, testid: 'upload-time-limit' });
  const fit = fittingBytes(check);
  return {
    lead: translate(lang, 'uploadTime.lead', { window }),
    rows,
    others: check.files > 1 ? translate(lang, 'uploadTime.others', { n: check.files, size: formatSize(check.totalBytes, locale) }) : undefined,
    fits: fit != null ? translate(lang, 'uploadTime.fits', { size: formatSize(fit, locale) }) : undefined,
  };
}
