/**
 * The forgiving form of a name used for lookups: lower case, no diacritics (Vietnamese đ included),
 * punctuation folded to single spaces. "Hàn Quốc", "han quoc" and "HAN-QUOC" all become "han quoc".
 */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
