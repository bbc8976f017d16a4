/** Where a quote sits in its article: the offsets (UTF-16 code units, end exclusive) or why it cannot be placed. */
export type Located = { quote: string; start: number; end: number } | { problem: string };

/** Every offset the quote starts at, overlapping occurrences included. */
export function occurrences(text: string, quote: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) found.push(i);
  return found;
}

const span = (start: number, quote: string) => `${start}..${start + quote.length}`;

/** The first 60 characters of a quote, as a problem names it. */
export function quoteLabel(quote: string): string {
  return JSON.stringify(quote.length > 60 ? `${quote.slice(0, 60)}…` : quote);
}

/**
 * Given offsets are checked (the text there must be the quote); without them the quote must occur exactly
 * once, since a guess between occurrences would silently attach the evidence to the wrong sentence.
 */
export function locateQuote(text: string, quote: string, start?: number, end?: number): Located {
  if (start !== undefined && end !== undefined) {
    const there = text.slice(start, end);
    if (there === quote) return { quote, start, end };
    const elsewhere = text.indexOf(quote);
    return {
      problem:
        `quote not found at ${start}..${end} (the article has ${JSON.stringify(there.slice(0, 60))} there)` +
        (elsewhere >= 0 ? `; it occurs at ${span(elsewhere, quote)}` : '; it is not in the article'),
    };
  }
  const at = occurrences(text, quote);
  const [first] = at;
  if (first === undefined) return { problem: `quote ${quoteLabel(quote)} is not in the article` };
  if (at.length > 1) {
    return {
      problem:
        `quote ${quoteLabel(quote)} occurs ${at.length} times in the article, at ` +
        `${at.map((s) => span(s, quote)).join(', ')}: give start and end to choose one`,
    };
  }
  return { quote, start: first, end: first + quote.length };
}

/** How much text either side of a quote is stored with it (W3C Web Annotation's TextQuoteSelector prefix/suffix). */
export const ANCHOR_CONTEXT = 32;

/**
 * The text just before and after a quote: with the quote itself they find it again if the article's text
 * shifts (a corrected typo earlier on), where offsets alone would point at the wrong place.
 */
export function anchorsOf(text: string, start: number, end: number): { prefix: string; suffix: string } {
  return {
    prefix: text.slice(Math.max(0, start - ANCHOR_CONTEXT), start),
    suffix: text.slice(end, end + ANCHOR_CONTEXT),
  };
}
