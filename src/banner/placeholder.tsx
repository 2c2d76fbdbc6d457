/**
 * The placeholder the stream puts right before a held iframe (or a held script marked
 * `data-consent-placeholder`), docs/enforcement.md: sized like the element, it names the category
 * and the provider in the visitor's language, and its Allow is a form that posts a `contextual`
 * decision for that category and comes back to the same place. banner.js posts the same form
 * without a reload and releases the element in place. An undeclared source gets the box and a
 * sentence, and nothing to allow.
 */
import { UNDECLARED } from '../core/client-table';
import type { HeldEmbed } from '../html/rewriter';
import type { CompiledPolicy } from '../policy/compile';
import { effectiveLocale, localized, uiTexts } from '../policy/locale';
import { asciiHtml } from './encode';
import { once, RETURN, withReturn } from './markup';

export interface PlaceholderInput {
  policy: CompiledPolicy;
  /** A key of `policy.locales` (falls back to the default locale). */
  locale: string;
  /** The page's path and query, which the no-JavaScript Allow returns to. */
  returnTo: string;
  page: URL;
}

/** A text with its `{name}` slots filled (a function replacement, so `$` in a value stays as written). */
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot);

/** A width or height attribute as CSS: `560` → `560px`, `100%` stays; anything else is left out. */
function cssLength(value: string | null): string | null {
  const v = value?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(v)) return `${v}px`;
  if (/^\d+(\.\d+)?%$/.test(v)) return v;
  return null;
}

/**
 * The size of the box: the element's width and height, else 16:9 of the container for an
 * iframe (the `ce-ph-r` class). Inline, so a strict `style-src` falls back to the class.
 */
function sizeOf(held: HeldEmbed): { style?: string; ratio: boolean } {
  const width = cssLength(held.width);
  const height = cssLength(held.height);
  const style = [width && `width:${width}`, height && `height:${height}`].filter(Boolean).join(';');
  return { ...(style ? { style } : {}), ratio: held.kind === 'iframe' && !height };
}

/**
 * The placeholder's box and its form, ASCII only (non-ASCII as character references). The box's
 * button submits the form by its id: the form goes at the end of `<body>`, so it never nests in
 * a form of the page's that the embed sits in (Razorpay's checkout script usually does).
 * @example
 * placeholderMarkup(input, { kind: 'iframe', category: 'functional', src: 'https://www.youtube.com/embed/x', width: '560', height: '315', anchor: 'ce-ph-1', index: 1 })
 */
export function placeholderMarkup(input: PlaceholderInput, held: HeldEmbed): { box: string; form: string } {
  const { policy } = input;
  const locale = effectiveLocale(policy.policy, input.locale);
  const size = sizeOf(held);
  // An undeclared source's provider is its host: no declared cookie names one.
  const provider = policy.providerOf(held.category, held.src, input.page);
  // Rendered once per policy, locale, category, provider and size (the same embeds are on every
  // page), with INDEX and RETURN standing for the element's number and the way back.
  const key = `placeholder|${locale}|${held.category}|${provider}|${size.style ?? ''}|${size.ratio}`;
  const render = () => renderPlaceholder(policy, locale, held.category, provider, size);
  const rendered = policy.rendered.has(key) || policy.rendered.size < RENDERED_LIMIT ? once(policy, key, render) : render();
  const [box = '', form = ''] = rendered.replaceAll(INDEX, String(held.index)).split('\0');
  // A return path is at most 2,048 characters: a very long query is left out.
  const back = input.returnTo.length > 1900 ? input.page.pathname.slice(0, 1900) : input.returnTo;
  return { box, form: form && withReturn(form, `${back}#${encodeURIComponent(held.anchor)}`) };
}

/** Stands for the element's number on the page while a placeholder is rendered once. */
const INDEX = '__ce_index__';
/** How many rendered parts a policy keeps; past it, placeholders for new providers are rendered each time. */
const RENDERED_LIMIT = 512;

/** The box and its form, joined by a NUL (which neither contains), with INDEX and RETURN in them. */
function renderPlaceholder(
  policy: CompiledPolicy,
  locale: string,
  category: HeldEmbed['category'],
  provider: string,
  size: { style?: string; ratio: boolean },
): string {
  const t = uiTexts(policy.policy, locale).placeholder;
  const className = size.ratio ? 'ce-ph ce-ph-r' : 'ce-ph';
  if (category === UNDECLARED) {
    const box = (
      <div data-consent-placeholder={UNDECLARED} class={className} style={size.style} lang={locale}>
        <p>{fill(t.undeclared, { provider })}</p>
      </div>
    );
    return asciiHtml(String(box));
  }
  const textId = `ce-ph-${INDEX}-t`;
  const formId = `ce-ph-${INDEX}-f`;
  const declared = policy.categories.get(category);
  const title = declared ? localized(policy.policy, declared, 'title', locale) : category;
  const box = (
    <div data-consent-placeholder={category} class={className} style={size.style} lang={locale}>
      <p id={textId}>{fill(t.body, { provider, category: title })}</p>
      <button type="submit" form={formId} class="ce-btn" aria-describedby={textId}>
        {t.allow}
      </button>
    </div>
  );
  const form = (
    <form id={formId} method="post" action={policy.policy.paths.prefix} hidden>
      <input type="hidden" name="action" value="contextual" />
      <input type="hidden" name="category" value={category} />
      <input type="hidden" name="surface" value="placeholder" />
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="return" value={RETURN} />
    </form>
  );
  return `${asciiHtml(String(box))}\0${asciiHtml(String(form))}`;
}
