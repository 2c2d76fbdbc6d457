/**
 * The drift buffer as plain data: when a flush is due, how a full buffer is bounded, and how a
 * failed write's counts come back.
 */
import { describe, expect, it } from 'vitest';
import { createDriftBuffer, DRIFT_DEFAULTS, noteSightings, restoreEntries, takeDueEntries } from '../../src/log/drift';

const T0 = 1_775_000_000_000;

describe('drift buffer', () => {
  it('flushes the first sighting of a fresh isolate at once, then at most once per interval', () => {
    const buffer = createDriftBuffer();
    noteSightings(buffer, ['a'], 'set-cookie', '/', T0);
    expect(takeDueEntries(buffer, T0)?.map((e) => e.count)).toEqual([1]);

    for (let t = 1; t < 30; t++) {
      noteSightings(buffer, ['a', 'b'], 'set-cookie', '/', T0 + t * 1000);
      expect(takeDueEntries(buffer, T0 + t * 1000)).toBeNull();
    }
    const due = takeDueEntries(buffer, T0 + DRIFT_DEFAULTS.intervalMs);
    expect(due?.map((e) => [e.name, e.count, e.firstSeen - T0, e.lastSeen - T0])).toEqual([
      ['a', 29, 1000, 29_000],
      ['b', 29, 1000, 29_000],
    ]);
    expect(buffer.entries.size).toBe(0);
  });

  it('keeps set-cookie and cookie sightings of one name apart, with the first path as sample', () => {
    const buffer = createDriftBuffer();
    noteSightings(buffer, ['x'], 'cookie', '/first?token=secret', T0);
    noteSightings(buffer, ['x'], 'cookie', '/second', T0 + 1);
    noteSightings(buffer, ['x'], 'set-cookie', '/third', T0 + 2);
    expect([...buffer.entries.values()].map((e) => [e.source, e.count, e.samplePath])).toEqual([
      ['cookie', 2, '/first'],
      ['set-cookie', 1, '/third'],
    ]);
  });

  it('bounds a flood of distinct names: capacity, then a minimum gap between early flushes', () => {
    const options = { intervalMs: 30_000, maxNames: 3, minGapMs: 5_000 };
    const buffer = createDriftBuffer();
    noteSightings(buffer, ['seed'], 'cookie', '/', T0, options);
    takeDueEntries(buffer, T0, options);

    noteSightings(buffer, ['n1', 'n2', 'n3', 'n4', 'n5'], 'cookie', '/', T0 + 1000, options);
    expect(buffer.entries.size).toBe(3);
    expect(buffer.dropped).toBe(2);
    expect(takeDueEntries(buffer, T0 + 1000, options)).toBeNull();
    expect(takeDueEntries(buffer, T0 + 5000, options)).toHaveLength(3);
  });

  it('restores the counts of a failed write on top of newer sightings', () => {
    const buffer = createDriftBuffer();
    noteSightings(buffer, ['a', 'a'], 'set-cookie', '/', T0);
    const failed = takeDueEntries(buffer, T0) ?? [];
    noteSightings(buffer, ['a'], 'set-cookie', '/later', T0 + 10);
    restoreEntries(buffer, failed);
    expect([...buffer.entries.values()]).toEqual([
      { name: 'a', source: 'set-cookie', count: 3, firstSeen: T0, lastSeen: T0 + 10, samplePath: '/later' },
    ]);
  });

  it('skips names that are not RFC 6265 tokens', () => {
    const buffer = createDriftBuffer();
    noteSightings(buffer, ['ok', 'has space', 'semi;colon', '', 'é', 'x'.repeat(129)], 'cookie', '/', T0);
    expect([...buffer.entries.keys()]).toEqual(['cookie ok']);
  });
});
