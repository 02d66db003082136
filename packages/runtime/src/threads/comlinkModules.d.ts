// comlinkModules.d.ts — types for comlink's ES module files. comlink has no "exports" map and its
// "main" is a UMD bundle (no named ESM exports in Node), so the runtime imports the .mjs files,
// which TypeScript does not pair with their .d.ts on its own.
declare module 'comlink/dist/esm/comlink.mjs' {
  export * from 'comlink';
}

declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export interface NodeEndpoint {
    // biome-ignore lint/suspicious/noExplicitAny: Node's Worker and MessagePort post any cloneable value.
    postMessage(message: any, transfer?: any[]): void;
    // biome-ignore lint/suspicious/noExplicitAny: Node's MessagePort and Worker listeners take any.
    on(type: string, listener: (...args: any[]) => void): void;
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    off(type: string, listener: (...args: any[]) => void): void;
    start?: () => void;
  }
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
