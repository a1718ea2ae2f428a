/**
 * The trend charts' colours. The canvas cannot read CSS custom properties,
 * so these repeat ui/src/styles/app.css's (--accent, --high, --medium, --ink,
 * --muted); the zones are pale enough that the lines and axis text on them
 * keep their contrast.
 */
export const trendColours = {
  ink: '#1a1a1a',
  paper: '#ffffff',
  axis: '#4a4a4a',
  grid: '#e3e5e8',
  none: 'rgba(0, 0, 0, 0)',
  /** The first vital sign of a panel (SpO2, pulse ... systolic): --accent, its min–max band paler. */
  line: '#0b5394',
  band: 'rgba(11, 83, 148, 0.2)',
  /** The second (diastolic): a purple that prints apart from the blue in grey too. */
  secondLine: '#6a1b9a',
  secondBand: 'rgba(106, 27, 154, 0.16)',
  news2: '#1a1a1a',
  zone: { critical: 'rgba(179, 0, 27, 0.12)', warning: 'rgba(255, 204, 51, 0.28)' },
  threshold: '#6a1b9a',
  alert: { high: '#b3001b', medium: '#8a5a00' },
} as const;
