// abi.ts — the two exports every edgeseg kernel build carries besides the kernels.
// abi_version() changes whenever an exported signature or a packed layout changes, so a host can
// refuse a .wasm it was not written for. heap_base() is the first byte the host may use: AS places
// its static data below it and, with runtime "stub", never allocates above it.

// Not exported: the .wasm exports abi_version() only (a global export is outside the ABI, see tools/wasm-contract).
const ABI_VERSION: i32 = 1;

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function heap_base(): usize {
  return __heap_base;
}
