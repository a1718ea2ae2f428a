import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

/** Where the nurse's screen is built from and to. */
export const uiPaths = {
  source: fileURLToPath(new URL('./src/', import.meta.url)),
  dist: fileURLToPath(new URL('./dist/', import.meta.url)),
} as const;

/** Browsers the clinic's laptops and tablets run (Chromium-based, Firefox, Safari on older iPads). */
const targets = ['chrome100', 'firefox100', 'safari15'];

/**
 * Builds ui/src into ui/dist: one script, one style sheet and the Noto Sans
 * fonts (Latin and Arabic) under content-hashed names, so the gateway can let
 * browsers keep them for good; index.html names them and is never cached.
 * Nothing is fetched from outside the clinic LAN: the fonts are copied from
 * @fontsource, the icons are inline SVG. Built into a fresh folder first and
 * swapped in whole, so a gateway serving the old build never sees half a new one.
 */
export async function buildUi({ minify = true }: { minify?: boolean } = {}): Promise<{ files: string[] }> {
  const staging = `${uiPaths.dist.replace(/\/$/, '')}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const result = await build({
    entryPoints: { app: join(uiPaths.source, 'main.ts'), style: join(uiPaths.source, 'styles/app.css') },
    outdir: staging,
    bundle: true,
    format: 'esm',
    target: targets,
    minify,
    sourcemap: true,
    entryNames: '[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    publicPath: '/ui/',
    loader: { '.woff2': 'file', '.woff': 'file' },
    metafile: true,
    logLevel: 'warning',
  });
  const script = outputNamed(result.metafile, 'app', '.js');
  const style = outputNamed(result.metafile, 'style', '.css');
  writeFileSync(join(staging, 'index.html'), indexHtml(`/ui/${script}`, `/ui/${style}`));
  const old = `${uiPaths.dist.replace(/\/$/, '')}.${process.pid}.old`;
  if (existsSync(uiPaths.dist)) renameSync(uiPaths.dist, old);
  renameSync(staging, uiPaths.dist);
  rmSync(old, { recursive: true, force: true });
  return { files: readdirSync(uiPaths.dist) };
}

/** True when ui/dist is missing or older than any file under ui/src. */
export function uiBuildIsStale(): boolean {
  const index = join(uiPaths.dist, 'index.html');
  if (!existsSync(index)) return true;
  const builtAt = statSync(index).mtimeMs;
  return newestUnder(uiPaths.source) > builtAt;
}

function newestUnder(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function outputNamed(metafile: Metafile, entry: string, extension: string): string {
  const name = Object.keys(metafile.outputs)
    .map((path) => path.split('/').at(-1) ?? '')
    .find((file) => file.startsWith(`${entry}-`) && file.endsWith(extension));
  if (!name) throw new Error(`esbuild produced no ${entry}*${extension}`);
  return name;
}

/** The one page: everything else is drawn by the script. */
function indexHtml(script: string, style: string): string {
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light">
  <title>NileCare Edge</title>
  <link rel="stylesheet" href="${style}">
  <script type="module" src="${script}"></script>
</head>
<body>
  <noscript>NileCare Edge needs JavaScript. · يحتاج NileCare Edge إلى جافاسكربت.</noscript>
  <div id="app"></div>
</body>
</html>
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files } = await buildUi({ minify: !process.argv.includes('--dev') });
  console.log(`ui/dist: ${files.length} entries (${files.join(', ')})`);
}
