/**
 * The policy page's only stylesheet, inline so the page needs no other request. The CSP allows it
 * by its SHA-256 hash (not a nonce), so a cached page revalidated with 304 keeps working.
 */
import { sha256Base64 } from '../../core/sha256';

/** Light and dark via prefers-color-scheme, one column on phones, no chrome on paper. */
export const POLICY_CSS = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#555;--line:#c8c8c8;--head:#f2f2f2;--link:#0b57d0;--accent:#0b57d0;--note:#fff7e0;--note-line:#b45309}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#141414;--muted:#a8a8a8;--line:#444;--head:#202020;--link:#8ab4f8;--accent:#8ab4f8;--note:#2a2110;--note-line:#f0a040}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Devanagari",sans-serif;color:var(--fg);background:var(--bg)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
header,main,footer{max-width:52rem;margin:0 auto;padding:1rem 1.25rem}
header{border-bottom:1px solid var(--line)}
h1{font-size:1.9rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.35rem;margin-top:2rem}
h3{font-size:1.1rem;margin-top:1.5rem}
.meta{color:var(--muted);margin:.25rem 0}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.75rem;padding:0;margin:.5rem 0}
nav a[aria-current]{font-weight:700;text-decoration:none}
.notice{border-left:4px solid var(--note-line);background:var(--note);padding:.5rem 1rem;margin:1rem 0}
.table-wrap{overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;width:100%;min-width:32rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.45rem .6rem;text-align:left;vertical-align:top}
thead th{background:var(--head)}
tbody th{font-weight:400}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;word-break:break-all}
.choices{border:1px solid var(--line);border-radius:.5rem;padding:0 1rem 1rem;margin:1.5rem 0}
fieldset{border:0;padding:0;margin:0}
legend{font-weight:600;padding:0}
.category{display:grid;grid-template-columns:auto 1fr auto;gap:.25rem .75rem;padding:.75rem 0;border-bottom:1px solid var(--line)}
.category label{font-weight:600}
.category p{grid-column:2/4;margin:0;color:var(--muted)}
.category input{width:1.2rem;height:1.2rem;margin-top:.2rem}
.state{color:var(--muted);font-size:.9em}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem}
button{font:inherit;padding:.55rem 1rem;border-radius:.4rem;border:1px solid var(--accent);background:var(--bg);color:var(--fg);cursor:pointer;min-height:44px}
button.primary{background:var(--accent);color:var(--bg)}
footer{border-top:1px solid var(--line);color:var(--muted);margin-top:2rem}
@media (max-width:40rem){h1{font-size:1.5rem}table{min-width:0}thead{display:none}tr{display:block;border:1px solid var(--line);margin-bottom:.5rem}th,td{display:block;border:0}td::before{content:attr(data-label)": ";font-weight:600}}
@media print{nav,.skip,.actions,form .category input{display:none}body{color:#000;background:#fff;font-size:11pt}a{color:#000}a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}.choices{border:0;padding:0}table{min-width:0;page-break-inside:auto}tr{page-break-inside:avoid}thead{display:table-header-group}}
`;

/** `'sha256-…'` of POLICY_CSS, the CSP source that allows exactly this stylesheet. */
export const POLICY_CSS_HASH = `'sha256-${sha256Base64(POLICY_CSS)}'`;
