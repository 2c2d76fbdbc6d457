/** Where the fast path splices the head part: after the real <head> tag, never a look-alike. */
import { describe, expect, it } from 'vitest';
import { opensWithHead as opensInBytes, headInsertionPoint as pointInBytes } from '../../src/html/splice';

const headInsertionPoint = (text: string, final: boolean) => pointInBytes(new TextEncoder().encode(text), final);

const after = (text: string, tag: string) => text.indexOf(tag) + tag.length;

describe('headInsertionPoint', () => {
  it('lands right after the <head> tag, attributes included', () => {
    const doc = '<!doctype html><html lang="en"><head data-x="1"><meta charset="utf-8">';
    expect(headInsertionPoint(doc, false)).toBe(after(doc, '<head data-x="1">'));
    expect(headInsertionPoint('<HTML><HEAD>', false)).toBe(12);
  });
  it("reads tags' attributes as the tokenizer does: a quoted > or <head> in them is no tag", () => {
    const quoted = '<!doctype html><html data-x="<head>"><head data-y="a>b"><title>';
    expect(headInsertionPoint(quoted, true)).toBe(after(quoted, '<head data-y="a>b">'));
    expect(headInsertionPoint('<html data-x="<head>', false)).toBe(-1);
  });
  it('skips <header> and a <head> inside a comment', () => {
    const doc = '<!doctype html><!-- <head> --><html><header></header><head>';
    expect(headInsertionPoint(doc, true)).toBe(doc.length);
  });
  it('waits for more text while the tag may still come', () => {
    expect(headInsertionPoint('<!doctype html><html><he', false)).toBe(-1);
  });
  it('waits while a comment is open, and finds the tag after it', () => {
    expect(headInsertionPoint('<html><!-- <head> ', false)).toBe(-1);
    const doc = '<html><!-- a -- b <head> --><HEAD\tid=x>';
    expect(headInsertionPoint(doc, true)).toBe(doc.length);
    expect(headInsertionPoint('<!--><head>', true)).toBe(11);
    expect(headInsertionPoint('<\u0001-- <head>', true)).toBe(11);
  });
  it('counts bytes, not characters, when text before the tag is not ASCII', () => {
    const doc = '<!-- café ☕ --><head>';
    expect(headInsertionPoint(doc, true)).toBe(new TextEncoder().encode(doc).length);
  });
  it('falls back to after the doctype, or the start, when there is no <head>', () => {
    expect(headInsertionPoint('<!DOCTYPE html><p>fragment</p>', true)).toBe(15);
    expect(headInsertionPoint('<p>fragment</p>', true)).toBe(0);
    expect(headInsertionPoint('\n  <!doctype html><p>x', true)).toBe(18);
    expect(headInsertionPoint('<!doctype html', true)).toBe(0);
    expect(headInsertionPoint(`<!doctype html>${'x'.repeat(70_000)}`, false)).toBe(15);
    expect(headInsertionPoint(`<!doctype html><p>${'x'.repeat(70_000)}<script>"<head>"</script>`, true)).toBe(15);
  });
});

describe('opensWithHead', () => {
  const opens = (text: string) => opensInBytes(new TextEncoder().encode(text));
  it('is true when only a doctype, comments and <html> come before <head>', () => {
    expect(opens('<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>')).toBe(true);
    expect(opens('\n <!doctype html>\n<!-- built --><HTML><HEAD>')).toBe(true);
    expect(opens('<html data-x=">"><head>')).toBe(true);
    expect(opens('<!-->x<head>')).toBe(false);
  });
  it('is false when anything else may come first, or the <head> has not arrived', () => {
    for (const text of [
      '<script>x()</script><head>',
      '<html><script>x()</script><head>',
      'text<head>',
      '\uFEFF<html><head>',
      '<!-- a --!><script>x()</script> --><head>',
      '<?php ?><head>',
      "<html a='><head>'><script>x()</script>",
      '<html><he',
      '<html><header>',
      '<html>',
    ])
      expect(opens(text), text).toBe(false);
  });
});
