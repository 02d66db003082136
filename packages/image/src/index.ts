// @edgeseg/image — decode untrusted PNG/JPEG files and encode PNGs, in pure JS with bounded memory.
export { decodeImage, isJpeg } from './image.js';
export {
  decodePng,
  encodePng,
  isPng,
  MAX_PNG_PIXELS,
  MAX_PNG_SIDE,
  type PngExpectation,
  type PngHeader,
  type RasterImage,
  readPngHeader,
} from './png.js';
