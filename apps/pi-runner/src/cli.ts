#!/usr/bin/env node
// cli.ts — the `edgeseg-run` binary.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
