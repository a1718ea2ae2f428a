/**
 * Icons as inline SVG (nothing fetched), drawn with currentColor so they
 * follow the text's colour and contrast. Purely decorative: every icon sits
 * beside a translated word, so each is aria-hidden.
 */
const paths = {
  bell: 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z',
  bed: 'M3 7v11h2v-2h14v2h2v-6a3 3 0 0 0-3-3h-7v5H5V7Zm4 1.5a2 2 0 1 0 0 4 2 2 0 0 0 0-4Z',
  users:
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 9v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1Zm15-9a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm1 2h-1.2a7.9 7.9 0 0 1 2.2 5.5V20h3v-1a5 5 0 0 0-4-6Z',
  sync: 'M12 4V1L8 5l4 4V6a6 6 0 0 1 6 6 5.9 5.9 0 0 1-.7 2.8l1.5 1.5A8 8 0 0 0 12 4Zm0 14a6 6 0 0 1-6-6 5.9 5.9 0 0 1 .7-2.8L5.2 7.7A8 8 0 0 0 12 20v3l4-4-4-4Z',
  mute: 'M16.5 12 19 9.5l-1.4-1.4-2.5 2.5-2.5-2.5-1.4 1.4 2.5 2.5-2.5 2.5 1.4 1.4 2.5-2.5 2.5 2.5 1.4-1.4ZM3 9v6h4l5 5V4L7 9Z',
  sound:
    'M3 9v6h4l5 5V4L7 9Zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4ZM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6Z',
  check: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4Z',
  warning: 'M1 21h22L12 2Zm12-3h-2v-2h2Zm0-4h-2v-4h2Z',
  language:
    'M12.9 15.1 10.3 12.6l.1-.1A17.5 17.5 0 0 0 14 6h3V4h-7V2H8v2H1v2h11.2A15.8 15.8 0 0 1 9 11.4 15.6 15.6 0 0 1 6.7 8H4.7a17.6 17.6 0 0 0 3 4.6L2.6 17.6 4 19l5-5 3.1 3.1ZM18.5 10h-2L12 22h2l1.1-3h4.8l1.1 3h2Zm-2.6 7 1.6-4.3 1.6 4.3Z',
  logout: 'M10 17v-3H3v-4h7V7l5 5Zm9-14H12v2h7v14h-7v2h7a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2Z',
  device:
    'M4 5h16v11H4Zm-2 0v11a2 2 0 0 0 2 2h6v2H8v2h8v-2h-2v-2h6a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2H4a2 2 0 0 0-2 2Z',
} as const;

export type IconName = keyof typeof paths;

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', paths[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
