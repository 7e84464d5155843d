// Settings and the file dialogs for the fake backend: the settings kept in memory, with
// core's rules on saving (a download folder must have been picked; the history's bounds
// are kept within reason and applied at once), and dialogs that always pick the same
// paths, granting them as the shell does.
import type { DirectoryPurpose } from '../backend';
import type { Settings } from '../types';
import { notGranted } from './grants';
import { checkSettings, enforce } from '../../rules';
import type { FakeTransfers } from './transfers';
import type { FakeState } from './state';

export class FakeSettings {
  constructor(private s: FakeState, private transfers: FakeTransfers) {}

  async getSettings(): Promise<Settings> {
    await this.s.delay(10, 40);
    return { ...this.s.settings };
  }

  async saveSettings(settings: Settings): Promise<Settings> {
    await this.s.delay(10, 40);
    enforce(checkSettings(settings));
    const dir = settings.downloadDir;
    if (dir !== this.s.settings.downloadDir && dir !== '' && !this.s.grants.canWrite(dir, this.s.settings.downloadDir)) throw notGranted();
    const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v) || lo));
    this.s.settings = {
      ...settings,
      historyMaxItems: clamp(settings.historyMaxItems, 10, 100_000),
      historyMaxDays: clamp(settings.historyMaxDays, 1, 3650),
    };
    this.transfers.trimHistory();
    this.transfers.schedule();
    return { ...this.s.settings };
  }

  async pickUploadPaths(folders: boolean): Promise<string[] | null> {
    await this.s.delay(10, 40);
    const picked = folders
      ? ['/home/demo/Pictures/Holidays 2024']
      : ['/home/demo/Documents/report-q3.pdf', '/home/demo/Videos/family-dinner.mp4', '/home/demo/Music/set-list.flac'];
    this.s.grants.allowRead(picked);
    return picked;
  }

  async pickDirectory(purpose?: DirectoryPurpose): Promise<string | null> {
    await this.s.delay(10, 40);
    const picked = purpose === 'export' ? '/home/demo/Media/1fichier' : '/home/demo/Downloads/Fichier';
    if (purpose === 'backup') this.s.grants.allowRead([picked]);
    else this.s.grants.allowWrite(picked);
    return picked;
  }
}
