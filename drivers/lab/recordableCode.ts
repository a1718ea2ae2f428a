/** The catalogue's test codes are letters, digits, ".", "_" and "-": "NEUT#" → "NEUT-ABS", "LYM%" → "LYM-PCT". */
export function recordableCode(code: string): string {
  const mapped = code
    .replace(/#/g, '-ABS')
    .replace(/%/g, '-PCT')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '');
  return (mapped || 'X').slice(0, 32);
}
