import type { Page } from 'playwright-core';

/** Where Thai text under a selector was broken across lines, as the browser laid it out. */
export interface ThaiLineBreaks {
  /** Thai grapheme clusters looked at. */
  graphemes: number;
  /** Clusters whose parts lie on two lines: a consonant on one, its vowel or tone mark on the next. */
  splitClusters: string[];
  /**
   * Where one line ends and the next begins inside a Thai word, with a `|` at
   * the break. Monaco draws each wrapped piece of a line as a line of its own
   * (`.view-line`), so a break inside a word is looked for across them too.
   */
  splitWords: string[];
}

/**
 * Checks how Thai text under `selector` breaks into lines: every grapheme
 * cluster (Intl.Segmenter, granularity "grapheme") must lie on one line, by
 * the client rects of a Range over it; and between consecutive Monaco view
 * lines, a break between two Thai letters must fall on a grapheme boundary and
 * a word boundary (Intl.Segmenter, granularity "word", the same dictionary the
 * browser breaks lines with).
 */
export function thaiLineBreaks(page: Page, selector: string): Promise<ThaiLineBreaks> {
  return page.evaluate((selector) => {
    const THAI = /[\u0E00-\u0E7F]/;
    const graphemes = new Intl.Segmenter('th', { granularity: 'grapheme' });
    const words = new Intl.Segmenter('th', { granularity: 'word' });
    const report = { graphemes: 0, splitClusters: [] as string[], splitWords: [] as string[] };
    const roots = [...document.querySelectorAll(selector)];

    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const value = node.nodeValue ?? '';
        if (!THAI.test(value)) continue;
        for (const { segment, index } of graphemes.segment(value)) {
          if (!THAI.test(segment)) continue;
          report.graphemes++;
          range.setStart(node, index);
          range.setEnd(node, index + segment.length);
          const tops = [...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top));
          // Rects on one line share a top, give or take a pixel of rounding.
          if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 2) {
            report.splitClusters.push(
              `${value.slice(Math.max(0, index - 8), index)}[${segment}]${value.slice(index + segment.length, index + segment.length + 8)}`,
            );
          }
        }
      }

      // Monaco: the pieces of a wrapped line are view lines, placed by their top.
      const lines = [...root.querySelectorAll<HTMLElement>('.view-line')]
        .map((line) => ({ top: line.getBoundingClientRect().top, text: (line.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top);
      for (let i = 1; i < lines.length; i++) {
        const before = lines[i - 1]!.text;
        const after = lines[i]!.text.replace(/^\s+/, '');
        if (!THAI.test(before.slice(-1)) || !THAI.test(after.slice(0, 1))) continue;
        const joined = before + after;
        const at = before.length;
        const atGrapheme = [...graphemes.segment(joined)].some(({ index }) => index === at);
        const atWord = [...words.segment(joined)].some(({ index }) => index === at);
        const shown = `${before.slice(-12)}|${after.slice(0, 12)}`;
        if (!atGrapheme) report.splitClusters.push(shown);
        else if (!atWord) report.splitWords.push(shown);
      }
    }
    return report;
  }, selector);
}
