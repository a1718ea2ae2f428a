import type { Page } from 'playwright-core';

/** Text on screen whose contrast with what lies behind it is below WCAG 2.1 AA (1.4.3). */
export interface LowContrastText {
  text: string;
  ratio: number;
  required: number;
  color: string;
  background: string;
}

/**
 * Runs in the page (as a string, so the test runner's transforms cannot add
 * helpers the browser lacks). For every visible element with its own text:
 * the computed text colour against the background it is painted on, found by
 * walking up the ancestors and compositing translucent layers; a gradient
 * counts as its worst colour; an element faded by `opacity` has its colour
 * blended towards the background. Disabled controls are exempt, as in WCAG.
 * Large text (24 px, or 18.66 px bold) needs 3:1, other text 4.5:1.
 */
const inPage = `(() => {
  const parse = (value) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(value);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const channel = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const css = (c) => 'rgb(' + [c.r, c.g, c.b].map(Math.round).join(',') + ')';
  /** Every colour the element may be painted on: one, or each stop of a gradient. */
  const backgroundsOf = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      const image = style.backgroundImage;
      if (image && image !== 'none') {
        const stops = (image.match(/rgba?\\([^)]+\\)/g) || []).map(parse).filter(Boolean);
        if (stops.length) return stops.map((stop) => layers.reduceRight((acc, layer) => over(layer, acc), over(stop, { r: 255, g: 255, b: 255, a: 1 })));
      }
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0) {
        if (colour.a >= 1) return [layers.reduceRight((acc, layer) => over(layer, acc), colour)];
        layers.push(colour);
      }
    }
    return [layers.reduceRight((acc, layer) => over(layer, acc), { r: 255, g: 255, b: 255, a: 1 })];
  };
  const found = [];
  for (const element of document.querySelectorAll('body *')) {
    const own = [...element.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    if (!own || element.closest('[hidden], dialog:not([open]), option, script, style')) continue;
    if (element.closest('button:disabled, input:disabled, select:disabled')) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    let opacity = 1;
    for (let node = element; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const required = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    for (const background of backgroundsOf(element)) {
      const text = parse(style.color);
      const seen = over({ ...text, a: text.a * opacity }, background);
      const r = ratio(seen, background);
      if (r < required) {
        found.push({ text: own.slice(0, 60), ratio: Math.round(r * 100) / 100, required, color: css(seen), background: css(background) });
        break;
      }
    }
  }
  return found;
})()`;

/** Each piece of text on the page that fails WCAG AA contrast (empty when all of it is readable). */
export function lowContrastText(page: Page): Promise<LowContrastText[]> {
  return page.evaluate(inPage) as Promise<LowContrastText[]>;
}
