// The part of @webassemblyjs/wasm-parser (no bundled types) that wasm-contract reads.
declare module '@webassemblyjs/wasm-parser' {
  export interface Valtype {
    valtype: string;
  }
  export interface Signature {
    type: 'Signature';
    params: Valtype[];
    results: string[];
  }
  export interface Field {
    type: string;
    [key: string]: unknown;
  }
  export interface ModuleImport extends Field {
    type: 'ModuleImport';
    module: string;
    name: string;
    descr: { type: string; signature?: Signature };
  }
  export interface ModuleExport extends Field {
    type: 'ModuleExport';
    name: string;
    descr: { exportType: 'Func' | 'Memory' | 'Global' | 'Table'; id: { value: number } };
  }
  export interface Func extends Field {
    type: 'Func';
    signature: Signature;
  }
  export interface Program {
    type: 'Program';
    body: { type: 'Module'; fields: Field[] }[];
  }
  export function decode(
    bytes: ArrayBuffer | Uint8Array,
    opts?: {
      ignoreCodeSection?: boolean;
      ignoreDataSection?: boolean;
      ignoreCustomNameSection?: boolean;
    },
  ): Program;
}
