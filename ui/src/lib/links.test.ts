import { describe, expect, it } from 'vitest';
import { appendText, availableUrls, findLinks, isTextFile, LINK_DOMAINS, summarize } from './links';
import type { LinkReport } from './backend/types';

const urls = (text: string) => findLinks(text).map((l) => l.url);

describe('findLinks', () => {
  it('finds links as users paste them, each file once, in order', () => {
    const text = 'Here: https://1fichier.com/?abcde12345&af=99, and\n'
      + '1fichier.com/?zzzzz11111 (mirror) <https://www.alterupload.com/?qqqqq22222>\n'
      + 'old form http://oldid12345.1fichier.com/ and again https://1fichier.com/?abcde12345\n'
      + 'not ours https://example.com/?abcde99999 nor https://1fichier.com/dir/AbC nor https://1fichier.com/?UPPER.';
    expect(urls(text)).toEqual([
      'https://1fichier.com/?abcde12345',
      'https://1fichier.com/?zzzzz11111',
      'https://1fichier.com/?qqqqq22222',
      'https://1fichier.com/?oldid12345',
    ]);
  });

  it('takes every 1fichier domain, with or without a scheme, and gives the id with it', () => {
    LINK_DOMAINS.forEach((d, i) => {
      const id = `dom${String(i).padStart(2, '0')}xyz`;
      expect(findLinks(`${d}/?${id}`), d).toEqual([{ id, url: `https://1fichier.com/?${id}` }]);
      expect(urls(`HTTPS://WWW.${d.toUpperCase()}/?${id}&af=12;`), d).toEqual([`https://1fichier.com/?${id}`]);
    });
    expect(LINK_DOMAINS).toHaveLength(11);
  });

  it('keeps ids of 5 to 20 lowercase letters and digits only', () => {
    expect(urls('https://1fichier.com/?abcd https://1fichier.com/?abcde')).toEqual(['https://1fichier.com/?abcde']);
    expect(urls(`https://1fichier.com/?${'a'.repeat(20)} https://1fichier.com/?${'b'.repeat(21)}`)).toEqual([`https://1fichier.com/?${'a'.repeat(20)}`]);
    expect(urls('https://1fichier.com/?abc-def12')).toEqual([]);
  });

  it('refuses other schemes, bare hosts and lookalike domains', () => {
    expect(urls('ftp://1fichier.com/?abcde12345 www.1fichier.com 1fichier.com')).toEqual([]);
    expect(urls('https://not1fichier.com/?abcde12345 https://1fichier.com.evil.org/?abcde12345')).toEqual([]);
    expect(urls('')).toEqual([]);
  });

  it('reads links between quotes, brackets and trailing punctuation', () => {
    expect(urls('"https://1fichier.com/?aaaaa11111"; [megadl.fr/?bbbbb22222]! {tenvoi.com/?ccccc33333}: (dl4free.com/?ddddd44444).'))
      .toEqual(['https://1fichier.com/?aaaaa11111', 'https://1fichier.com/?bbbbb22222', 'https://1fichier.com/?ccccc33333', 'https://1fichier.com/?ddddd44444']);
  });

  it('handles thousands of links quickly', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `https://1fichier.com/?id${String(i).padStart(6, '0')}`).join('\n');
    const t0 = performance.now();
    const found = findLinks(text);
    expect(found).toHaveLength(5000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('check results', () => {
  const reports: LinkReport[] = [
    { url: 'https://1fichier.com/?aaaaa', status: 'available', name: 'a.zip', size: 1000 },
    { url: 'https://1fichier.com/?bbbbb', status: 'notFound' },
    { url: 'https://1fichier.com/?ccccc', status: 'available', name: 'c.iso', size: 24 },
    { url: 'https://1fichier.com/?ddddd', status: 'private' },
    { url: 'https://1fichier.com/?eeeee', status: 'badLink' },
    { url: 'https://1fichier.com/?fffff', status: 'unknown', text: 'Temporarily unavailable' },
  ];

  it('counts each state and the bytes available', () => {
    expect(summarize(reports)).toEqual({ total: 6, available: 2, notFound: 1, private: 1, badLink: 1, unknown: 1, availableBytes: 1024 });
    expect(summarize([])).toEqual({ total: 0, available: 0, notFound: 0, private: 0, badLink: 0, unknown: 0, availableBytes: 0 });
  });

  it('downloads the available links only, in their order', () => {
    expect(availableUrls(reports)).toEqual(['https://1fichier.com/?aaaaa', 'https://1fichier.com/?ccccc']);
  });
});

describe('dropped text', () => {
  it('tells text files by type, or by name when the type is unknown', () => {
    expect(isTextFile({ name: 'links.txt', type: 'text/plain' })).toBe(true);
    expect(isTextFile({ name: 'page', type: 'text/html' })).toBe(true);
    expect(isTextFile({ name: 'list.lst', type: '' })).toBe(true);
    expect(isTextFile({ name: 'photo.jpg', type: 'image/jpeg' })).toBe(false);
    expect(isTextFile({ name: 'archive.zip', type: '' })).toBe(false);
  });

  it('appends on a line of its own, with Unix line ends', () => {
    expect(appendText('', 'a\r\nb')).toBe('a\nb');
    expect(appendText('  ', 'x')).toBe('x');
    expect(appendText('first', 'second')).toBe('first\nsecond');
    expect(appendText('first\n', 'second')).toBe('first\nsecond');
  });
});
