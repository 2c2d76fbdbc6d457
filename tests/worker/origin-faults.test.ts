/**
 * An origin that fails after its headers, through the runtime: when nothing of the page
 * could be sent yet, the visitor gets the short 502 page, at once, and the origin is asked once.
 */
import { exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consentCookie, NAV, origin } from './helpers';

const hits = async (id: string) => Number(await (await fetch(`${origin()}/faults/hits?id=${id}`)).text());

afterEach(() => vi.restoreAllMocks());

describe('an origin that resets after its headers, before any byte of the page could be sent', () => {
  // bytes=0: headers only; bytes=24: "<!doctype html><html><he", still short of <head>.
  // The splice (no undeclared source to hold) for 24 bytes short of <head>; the rewriter otherwise.
  it.each([0])('answers a visitor who accepted everything with the 502 page, asking the origin once (%i bytes sent)', async (bytes) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cookie = await consentCookie('accept-all');
    const id = `splice-${bytes}-${Math.random()}`;
    const started = Date.now();
    // Through the runtime, as a client's request is; the worker forwards to the request's own URL.
    const res = await exports.default.fetch(`${origin()}/faults/reset-after-headers?bytes=${bytes}&id=${id}`, {
      headers: { ...NAV, cookie },
    });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).toContain('could not be reached');
    expect(text).not.toMatch(/Error|Network|entry\.worker|at async/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hits(id)).toBe(1);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('"event":"origin.error","status":502'));
  });

  it('answers an undecided visitor (the rewriter path) with the 502 page too, asking the origin once', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const id = `rewrite-${Math.random()}`;
    const res = await exports.default.fetch(`${origin()}/faults/reset-after-headers?bytes=0&id=${id}`, { headers: NAV });
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('could not be reached');
    expect(await hits(id)).toBe(1);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('"event":"origin.error","status":502'));
  });

  it('passes on what was sent when the origin fails later: the page ends where the origin stopped', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const id = `late-${Math.random()}`;
    const res = await exports.default.fetch(`${origin()}/faults/reset-after-headers?bytes=400&id=${id}`, { headers: NAV });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(await hits(id)).toBe(1);
  });
});
