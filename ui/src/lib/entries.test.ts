import { describe, expect, it } from 'vitest';
import type { FileEntry, SubFolder } from './backend/types';
import { categoryOf, compareNames, extensionOf, filterRows, sortRows, toRows } from './entries';

const file = (filename: string, size: number, date: string, contentType = 'application/octet-stream'): FileEntry => ({
  url: `https://1fichier.com/?${filename.replace(/\W/g, '').toLowerCase().padEnd(10, 'x')}`,
  filename, size, date, contentType, pass: false, acl: false, cdn: false,
});
const folder = (id: number, name: string, createDate = '2024-01-01 10:00:00'): SubFolder => ({ id, name, createDate, pass: false });

const rows = toRows(
  [folder(2, 'zeta'), folder(1, 'Alpha')],
  [
    file('file10.txt', 300, '2024-05-01 10:00:00'),
    file('file2.txt', 100, '2024-06-01 10:00:00'),
    file('Élan.pdf', 200, '2023-01-01 10:00:00'),
    file('movie.MKV', 5000, '2024-01-01 10:00:00'),
  ],
);
const names = (r: { name: string }[]) => r.map((x) => x.name);

describe('sorting', () => {
  it('puts folders first and sorts names naturally', () => {
    expect(names(sortRows(rows, { key: 'name', dir: 'asc' }))).toEqual(['Alpha', 'zeta', 'Élan.pdf', 'file2.txt', 'file10.txt', 'movie.MKV']);
  });
  it('keeps folders first when descending', () => {
    expect(names(sortRows(rows, { key: 'name', dir: 'desc' }))).toEqual(['zeta', 'Alpha', 'movie.MKV', 'file10.txt', 'file2.txt', 'Élan.pdf']);
  });
  it('sorts by size and by date (as instants)', () => {
    expect(names(sortRows(rows, { key: 'size', dir: 'desc' })).slice(2)).toEqual(['movie.MKV', 'file10.txt', 'Élan.pdf', 'file2.txt']);
    expect(names(sortRows(rows, { key: 'date', dir: 'asc' })).slice(2)).toEqual(['Élan.pdf', 'movie.MKV', 'file10.txt', 'file2.txt']);
  });
  it('sorts by type (extension), then name', () => {
    expect(names(sortRows(rows, { key: 'type', dir: 'asc' })).slice(2)).toEqual(['movie.MKV', 'Élan.pdf', 'file2.txt', 'file10.txt']);
  });
  it('ignores case, as words, with one fixed order for names equal that way', () => {
    expect(['banana', 'Cherry', 'apple', 'DATES', 'Apple'].sort(compareNames)).toEqual(['Apple', 'apple', 'banana', 'Cherry', 'DATES']);
    const mixed = toRows([folder(3, 'beta'), folder(4, 'ALPHA'), folder(5, 'Gamma')], []);
    expect(names(sortRows(mixed, { key: 'name', dir: 'asc' }))).toEqual(['ALPHA', 'beta', 'Gamma']);
  });
  it('does not modify its input', () => {
    const before = names(rows);
    sortRows(rows, { key: 'size', dir: 'asc' });
    expect(names(rows)).toEqual(before);
  });
});

describe('filtering', () => {
  it('ignores case and accents, and needs every word', () => {
    expect(names(filterRows(rows, 'elan'))).toEqual(['Élan.pdf']);
    expect(names(filterRows(rows, 'FILE 10'))).toEqual(['file10.txt']);
    expect(names(filterRows(rows, 'file nothing'))).toEqual([]);
  });
  it('matches an extension with a leading dot', () => {
    expect(names(filterRows(rows, '.txt'))).toEqual(['file10.txt', 'file2.txt']);
    expect(names(filterRows(rows, '.mkv'))).toEqual(['movie.MKV']);
  });
  it('returns everything for an empty query', () => {
    expect(filterRows(rows, '   ')).toBe(rows);
  });
});

describe('file types', () => {
  it('reads extensions', () => {
    expect(extensionOf('a.tar.GZ')).toBe('gz');
    expect(extensionOf('.hidden')).toBe('');
    expect(extensionOf('noext')).toBe('');
  });
  it('picks a category by extension, then by MIME type', () => {
    expect(categoryOf('photo.JPG')).toBe('image');
    expect(categoryOf('x.iso')).toBe('disk');
    expect(categoryOf('unknown', 'video/mp4')).toBe('video');
    expect(categoryOf('unknown', 'application/pdf')).toBe('pdf');
    expect(categoryOf('unknown', 'application/octet-stream')).toBe('other');
  });
});
