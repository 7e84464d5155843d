// Remote uploads for the fake backend: paying accounts only, a job that fetches its URLs
// a moment later (an address that is not one, or says 404, fails) and puts the files in
// the folder, the account's jobs made elsewhere listed too, retried or forgotten.
import type { RemoteJob } from '../types';
import { toFichierDate } from '../../time';
import { sizeFromName } from './names';
import { type FakeState, err, makeFile } from './state';

/** A remote upload made in the web console months ago: one URL fetched, one refused. */
const ACCOUNT_JOB: RemoteJob = {
  id: 3_100_007,
  folderId: 0,
  requestDate: '2024-11-02 09:14:03',
  executionDate: '2024-11-02 09:15:40',
  urls: ['https://mirror.example.org/iso/debian-12.5.0-amd64-netinst.iso', 'https://old.example.net/missing/archive.tar'],
  results: [
    { url: 'https://mirror.example.org/iso/debian-12.5.0-amd64-netinst.iso', status: 'ok', downloadLink: 'https://1fichier.com/?demo0000remote00001' },
    { url: 'https://old.example.net/missing/archive.tar', status: 'ko', message: 'Remote server answered 404' },
  ],
};

export class FakeRemote {
  constructor(private s: FakeState) {}

  async remoteUpload(urls: string[], folderId: number, headers?: Record<string, string>): Promise<RemoteJob> {
    await this.s.delay();
    this.s.requireKey();
    // 1fichier takes remote uploads from paying accounts only ("Must be a customer").
    if (this.s.account.offer === 'free') {
      throw err('not_customer', 'This needs a paying 1fichier account (Premium, Access or CDN credit). Upgrade your account or use a key from a premium account.');
    }
    this.s.folder(folderId);
    void headers;
    const clean = urls.map((u) => u.trim()).filter(Boolean);
    if (clean.length === 0) throw err('invalid_request', 'give at least one URL to fetch');
    const job: RemoteJob = {
      id: 4_000_000 + this.s.remoteJobs.length + 1,
      folderId,
      requestDate: toFichierDate(Date.now()),
      urls: clean,
      results: clean.map((url) => ({ url, status: 'pending' })),
    };
    this.s.remoteJobs.unshift(job);
    setTimeout(() => this.runRemote(job), 2500);
    return structuredClone(job);
  }

  private runRemote(job: RemoteJob): void {
    job.executionDate = toFichierDate(Date.now());
    const dest = this.s.folders.get(job.folderId) ?? this.s.folder(0);
    job.results = job.urls.map((url) => {
      if (!/^https?:\/\/[^\s/]+\.[^\s]+/.test(url)) return { url, status: 'ko', message: 'Invalid URL' };
      if (/404|missing|fail/i.test(url)) return { url, status: 'ko', message: 'Remote server answered 404' };
      const name = decodeURIComponent(url.split('?')[0].split('/').pop() || 'download.bin') || 'download.bin';
      const file = makeFile(name, sizeFromName(name), toFichierDate(Date.now()), this.s.rng);
      dest.files.push(file);
      return { url, status: 'ok', downloadLink: file.url };
    });
    this.s.emit({ type: 'remoteResult', job: structuredClone(job) });
  }

  async listRemoteJobs(): Promise<RemoteJob[]> {
    await this.s.delay();
    this.s.requireKey();
    // The account's jobs made elsewhere (here: the one the demo ran long ago) are listed too.
    if (!this.s.accountJobsListed) {
      this.s.accountJobsListed = true;
      if (!this.s.forgottenRemote.has(ACCOUNT_JOB.id)) this.s.remoteJobs.push(structuredClone(ACCOUNT_JOB));
    }
    return structuredClone(this.s.remoteJobs);
  }

  async retryRemoteJob(id: number): Promise<RemoteJob> {
    await this.s.delay();
    const job = this.s.remoteJobs.find((j) => j.id === id);
    if (!job) throw err('invalid_request', `no remote upload ${id}`);
    const failed = job.results.filter((r) => r.status === 'ko').map((r) => r.url);
    const again = await this.remoteUpload(failed.length ? failed : job.urls, job.folderId);
    await this.forgetRemoteJob(id);
    return again;
  }

  async forgetRemoteJob(id: number): Promise<void> {
    await this.s.delay();
    this.s.forgottenRemote.add(id);
    this.s.remoteJobs = this.s.remoteJobs.filter((j) => j.id !== id);
  }
}
