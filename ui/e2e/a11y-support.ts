// What the accessibility specs share (a11y.spec.ts for the app, relay-a11y.spec.ts for the
// recipient pages): the WCAG 2.1 AA rule set and its axe check, the colour schemes and the
// phone size every page is checked in, and the 3:1 non-text contrast of a control's boundary
// (WCAG 1.4.11), which axe does not measure.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The rule set the issue names: WCAG 2.0 and 2.1, levels A and AA. Never narrowed. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const SCHEMES = ['light', 'dark'] as const;
export type Scheme = (typeof SCHEMES)[number];
/** A phone's viewport (an iPhone 12-15 in CSS pixels). */
export const PHONE = { width: 390, height: 844 };

/** Runs axe on the page as it is and fails with each violation's rule and elements. */
export async function expectNoViolations(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `WCAG 2.1 AA violations on ${where}`).toEqual([]);
}

/**
 * WCAG 1.4.11 for one element: the contrast of its border (when it has one) and of its fill
 * (when it has one) against what is behind it; the better of the two must reach 3:1. With
 * `knob`, also the contrast of that child's fill against the element's fill (a switch).
 */
export async function boundaryContrast(page: Page, selector: string, knob?: string): Promise<number> {
  return page.locator(selector).first().evaluate((el, knobSelector) => {
    (document.activeElement as HTMLElement | null)?.blur(); // a focused field shows the accent instead
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const opaque = (css: string) => { const c = rgb(css); return c.length === 3 || (c[3] ?? 0) > 0; };
    const luminance = (css: string) => {
      const [r, g, b] = rgb(css).map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: string, b: string) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x! + 0.05) / (y! + 0.05); };
    const behind = (node: Element): string => {
      for (let n = node.parentElement; n; n = n.parentElement) { const bg = getComputedStyle(n).backgroundColor; if (opaque(bg)) return bg; }
      return 'rgb(255, 255, 255)';
    };
    const style = getComputedStyle(el);
    const outside = behind(el);
    // What the eye sees: the colour faded into what is behind by its alpha and the element's opacity.
    const seen = (css: string) => {
      const [r, g, b, a = 1] = rgb(css);
      const k = a * Number(style.opacity);
      const o = rgb(outside);
      return `rgb(${[r, g, b].map((v, i) => k * v! + (1 - k) * o[i]!).join(', ')})`;
    };
    const scores: number[] = [];
    if (parseFloat(style.borderTopWidth) > 0 && opaque(style.borderTopColor)) scores.push(ratio(seen(style.borderTopColor), outside));
    if (opaque(style.backgroundColor)) scores.push(ratio(seen(style.backgroundColor), outside));
    let score = Math.max(0, ...scores);
    const child = knobSelector ? el.querySelector(knobSelector) : null;
    if (child) score = Math.min(score, ratio(seen(getComputedStyle(child).backgroundColor), seen(style.backgroundColor)));
    return score;
  }, knob);
}
