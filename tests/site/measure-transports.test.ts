/**
 * `npm run measure:transports` (tooling/measure/transports.ts): each technique
 * delivers every message and counts its bytes, and the measurements the lesson's
 * chart reads have the shape the chart expects. Nothing here asserts a duration.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultOutput, measure, techniques, type Measurements } from '../../tooling/measure/transports.ts';

describe('npm run measure:transports', () => {
  const options = { messages: 6, intervalMs: 10, pollIntervalMs: 30 };

  it('delivers every message with each technique and counts what it cost', async () => {
    const results = [];
    for (const technique of techniques) results.push(await measure(technique, options));
    const by = Object.fromEntries(results.map((result) => [result.technique, result]));
    for (const result of results) {
      expect(result.messages, result.technique).toBe(options.messages);
      expect(result.totalBytes, result.technique).toBeGreaterThan(result.payloadBytes * options.messages);
      expect(Number.isFinite(result.latencyMs.median), result.technique).toBe(true);
      expect(result.connections, result.technique).toBe(1);
    }
    // One request for the streams, one per answer for long-polling.
    expect(by.sse?.requests).toBe(1);
    expect(by.websocket?.requests).toBe(1);
    expect(by['long-polling']?.requests).toBeGreaterThan(1);
    // A frame header costs less than a request and a response.
    expect(by.websocket!.bytesPerMessage).toBeLessThan(by['long-polling']!.bytesPerMessage);
  });

  it('has committed measurements for the chart: the four techniques, with bytes and latency', () => {
    const measurements = JSON.parse(fs.readFileSync(defaultOutput, 'utf8')) as Measurements;
    expect(measurements.results.map(({ technique }) => technique)).toEqual([...techniques]);
    for (const result of measurements.results) {
      expect(result.bytesPerMessage).toBeGreaterThan(0);
      expect(result.latencyMs.median).toBeGreaterThanOrEqual(0);
    }
    expect(measurements.settings.interface).toBe('loopback (127.0.0.1)');
    expect(measurements.machine.loadAverage).toHaveLength(3);
  });
});
