#!/usr/bin/env node
// The `nilecare` command. The sources are TypeScript, run through tsx's loader
// so there is no build step between a clone and a running gateway.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
