import { describe, expect, it } from 'vitest';
import { foldName } from '../src/graph/names.js';

describe('foldName: the forgiving spelling used for lookups', () => {
  it('folds case and Vietnamese diacritics', () => {
    expect(foldName('Hàn Quốc')).toBe('han quoc');
    expect(foldName('HAN QUOC')).toBe('han quoc');
    expect(foldName('Bắc Kinh')).toBe('bac kinh');
    expect(foldName('Trọng Đạt')).toBe('trong dat');
  });
  it('keeps the typo and the correct spelling of the air purifier apart', () => {
    expect(foldName('máy lạc không khí')).toBe('may lac khong khi');
    expect(foldName('máy lọc không khí')).toBe('may loc khong khi');
  });
  it('folds punctuation and runs of spaces to one space', () => {
    expect(foldName('  South-Korea!! ')).toBe('south korea');
    expect(foldName('Apple Inc.')).toBe('apple inc');
  });
  it('keeps letters of other scripts', () => {
    expect(foldName('서울')).toBe('서울');
  });
});
