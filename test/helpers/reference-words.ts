/**
 * The documented meaning of search words (README, "Free text"), the slow, obvious way: every
 * character on the Unicode road. Tests hold the fast tokeniser and the stores to it.
 */
export function referenceWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}
