// raster.ts — SVG → PNG with resvg compiled to WASM (@resvg/resvg-wasm): its bundled .wasm is read from
// node_modules, no network, no native addon, no canvas. resvg draws text only with the fonts it is given
// (system fonts are not loaded, so output is the same on every machine): DejaVu Sans regular and bold, the
// TrueType files of the `dejavu-fonts-ttf` package (Bitstream Vera licence + public-domain DejaVu changes).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

/** The font family every plot names; resvg maps generic families to it too. */
export const FONT_FAMILY = 'DejaVu Sans';

interface Engine {
  fonts: Uint8Array[];
}

let engine: Promise<Engine> | null = null;

function load(): Promise<Engine> {
  engine ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
    await initWasm(wasm);
    const fonts = await Promise.all(
      ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(
        async (f) => new Uint8Array(await readFile(require.resolve(`dejavu-fonts-ttf/ttf/${f}`))),
      ),
    );
    return { fonts };
  })().catch((e) => {
    engine = null;
    throw new Error(
      `report: cannot start the SVG rasterizer. Expected @resvg/resvg-wasm and dejavu-fonts-ttf installed, got: ${(e as Error).message}.`,
    );
  });
  return engine;
}

export interface Raster {
  png: Uint8Array;
  width: number;
  height: number;
}

/**
 * Renders an SVG document to PNG at `scale` × its own size (width/height attributes), on a white
 * background so the PNG reads the same in a dark-themed viewer.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Raster> {
  const { fonts } = await load();
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: false,
      fontBuffers: fonts,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
  });
  try {
    const image = r.render();
    try {
      return { png: image.asPng(), width: image.width, height: image.height };
    } finally {
      image.free();
    }
  } finally {
    r.free();
  }
}
