/** Folding of request paths so the worker's own paths cannot be smuggled to the origin. */
import { describe, expect, it } from 'vitest';
import { foldPath } from '../../src/http/path';
import { ownPaths } from '../../src/proxy/reserved';

const isReservedPath = ownPaths('/__consent', ['/cookie-policy']);

describe('ownPaths', () => {
  it.each([
    '/__consent',
    '/__consent/',
    '/__CONSENT/receipt',
    '/__consent%2fpolicy.json',
    '/%5F%5Fconsent',
    '/cookie-policy',
    '/Cookie-Policy//',
    '/cookie-policy;jsessionid=1',
    '/%5F%5Fconsent/receipt%FF',
    '/%5F%5Fconsent/x%ZZ',
    '/%63ookie-policy',
    '/%63ookie-policy;%FF',
  ])('%s is the worker’s', (path) => expect(isReservedPath(path)).toBe(true));
  it.each(['/', '/__consentx', '/cookie-policy-v2', '/x/__consent', '/cookie'])('%s goes to the origin', (path) =>
    expect(isReservedPath(path)).toBe(false),
  );
  it('never throws on a malformed escape, and still decodes the escapes around it', () => {
    expect(foldPath('/__consent/%E0%A4%A')).toBe('/__consent/%e0%a4%a');
    expect(foldPath('/%5F%5Fconsent/receipt%FF')).toBe('/__consent/receipt%ff');
    expect(foldPath('/%5F%5F%FFconsent')).toBe('/__%ffconsent');
  });
});
