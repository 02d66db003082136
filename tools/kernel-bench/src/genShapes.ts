#!/usr/bin/env node
// genShapes.ts — writes shapes/segformer-b0-512x1024.txt from the SegFormer-B0 config.
import { writeFileSync } from 'node:fs';
import { formatShapesFile, SEGFORMER_B0, segformerGemmShapes } from './segformerShapes.js';

const out = new URL('../shapes/segformer-b0-512x1024.txt', import.meta.url);
writeFileSync(
  out,
  formatShapesFile(segformerGemmShapes(SEGFORMER_B0, 512, 1024), 'SegFormer-B0 GEMMs at 512x1024'),
);
process.stdout.write(`wrote ${out.pathname}\n`);
