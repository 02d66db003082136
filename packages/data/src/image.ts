// image.ts — the `@edgeseg/data/image` subpath, kept for callers that imported image I/O from here: PNG/JPEG
// decoding and PNG encoding now live in `@edgeseg/image`, which a runner can install without this package.
export {
  decodeImage,
  decodePng,
  encodePng,
  isJpeg,
  isPng,
  type PngHeader,
  type RasterImage,
  readPngHeader,
} from '@edgeseg/image';
