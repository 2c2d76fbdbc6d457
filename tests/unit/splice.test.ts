/** Where the fast path splices the head part: after the real <head> tag, never a look-alike. */
import { describe, expect, it } from 'vitest';
import { headInsertionPoint } from '../../src/html/splice';

const after = (text: string, tag: string) => text.indexOf(tag) + tag.length;

describe('headInsertionPoint', () => {
  it('lands right after the <head> tag, attributes included', () => {
    const doc = '<!doctype html><html lang="en"><head data-x="1"><meta charset="utf-8">';
    expect(headInsertionPoint(doc, false)).toBe(after(doc, '<head data-x="1">'));
    expect(headInsertionPoint('<HTML><HEAD>', false)).toBe(12);
  });
  it('skips <header> and a <head> inside a comment', () => {
    const doc = '<!doctype html><!-- <head> --><html><header></header><head>';
    expect(headInsertionPoint(doc, true)).toBe(doc.length);
  });
  it('waits for more text while the tag may still come', () => {
    expect(headInsertionPoint('<!doctype html><html><he', false)).toBe(-1);
  });
  it('falls back to after the doctype, or the start, when there is no <head>', () => {
    expect(headInsertionPoint('<!DOCTYPE html><p>fragment</p>', true)).toBe(15);
    expect(headInsertionPoint('<p>fragment</p>', true)).toBe(0);
    expect(headInsertionPoint(`<!doctype html>${'x'.repeat(70_000)}`, false)).toBe(15);
  });
});
