// The checks' vitest setup file: every thread that runs a check beats (see heartbeat.ts).
import { expect } from 'vitest';
import { beatFromThisThread } from './heartbeat.ts';

beatFromThisThread(expect.getState().testPath);
