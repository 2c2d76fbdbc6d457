/**
 * Which `<script type>` values a browser executes: the HTML standard's JavaScript MIME type
 * essence list, plus `module` and the empty type. Shared by the HTML pass and banner.js, so the
 * stream and the page hold exactly the same tags.
 */

/**
 * The empty type, `module`, and the 16 JavaScript MIME type essences (MIME Sniffing §4.6):
 * application/ecmascript, application/javascript, application/x-ecmascript,
 * application/x-javascript, text/ecmascript, text/javascript, text/javascript1.0 to 1.5,
 * text/jscript, text/livescript, text/x-ecmascript, text/x-javascript. One regular expression,
 * as it ships in every page's banner.js.
 */
const EXECUTABLE = /^(|module|(application|text)\/(x-)?(ecma|java)script|text\/(javascript1\.[0-5]|jscript|livescript))$/;

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
  return EXECUTABLE.test(type.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase());
}
