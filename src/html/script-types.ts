/**
 * Which `<script type>` values a browser executes: the HTML standard's JavaScript MIME type
 * essence list, plus `module` and the empty type. Shared by the HTML pass and banner.js, so the
 * stream and the page hold exactly the same tags.
 */

const JAVASCRIPT_MIME = new Set([
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
]);

/**
 * True when a script with this `type` attribute (null: absent) would run (HTML §4.12.1.1: the
 * value is trimmed of ASCII whitespace and compared case-insensitively; parameters make it a data
 * block).
 * @example
 * isExecutableScriptType(' Text/JavaScript ') // true
 * isExecutableScriptType('text/plain')        // false
 */
export function isExecutableScriptType(type: string | null): boolean {
  if (type === null) return true;
  const essence = type.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase();
  return essence === '' || essence === 'module' || JAVASCRIPT_MIME.has(essence);
}
