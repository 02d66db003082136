export { readSafetensorsFile, writeFileAtomic, writeSafetensorsFile } from './atomicFile.js';
export {
  type Decoded,
  DTYPE_SIZE,
  type DType,
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  SafetensorsError,
  type StTensor,
  type TensorData,
} from './safetensors.js';
