/**
 * What a visitor's decision does to their consent: the pure rules behind `POST /__consent`
 * (docs/enforcement.md), plus the input schemas that name the field at fault.
 */
import * as z from '../policy/zod';
import type { CompiledPolicy } from '../policy/compile';
import { CategoryId, LocaleTag } from '../policy/schema';
import type { ConsentDecision } from './cookie';
import type { RegimeName } from './state';

/** Decision actions, fixed by the wire format (docs/wire-formats.md): the endpoint takes them, the log records them. */
export const ACTIONS = ['accept-all', 'reject-all', 'save', 'withdraw', 'contextual'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Where a choice was made, as the decision records name it: the banner, the preferences dialog,
 * the preferences page without JavaScript, an in-context prompt (a placeholder's Allow, or
 * `ConsentEdge.request`), or a client calling the endpoint itself.
 */
export const SURFACES = ['banner', 'dialog', 'page', 'placeholder', 'api'] as const;
export type Surface = (typeof SURFACES)[number];

const Categories = z.array(CategoryId).check(z.maxLength(16));

/**
 * What the visitor's interface says about the choice: the surface it was made on and the locale
 * its texts were shown in. Both optional: a client that sends neither is the `api` surface, in
 * the language the request negotiates.
 */
const Shown = {
  surface: z.optional(z.enum(SURFACES)),
  locale: z.optional(LocaleTag),
};

/** JSON body: `{"action", "categories", "surface", "locale"}`; unknown fields are refused by name. */
export const JsonDecision = z.strictObject({
  action: z.enum(ACTIONS),
  categories: z._default(Categories, []),
  return: z.optional(z.string()),
  ...Shown,
});

/** Form body: `action`, repeated `category`, `return`, and the hidden `surface` and `locale`. */
export const FormDecision = z.strictObject({
  action: z.enum(ACTIONS),
  category: z.optional(z.union([CategoryId, Categories])),
  return: z.optional(z.string().check(z.maxLength(2048))),
  ...Shown,
});

export interface DecisionOutcome {
  /** The new decision, or null after withdrawal (back to "no decision", essential only). */
  decision: ConsentDecision | null;
  accepted: CategoryId[];
  refused: CategoryId[];
}

/**
 * Applies an action to the prior decision. Withdrawal leaves no decision (a new consent id next
 * time), except in an opt-out regime where it stores a refusal.
 * @example
 * applyAction({ policy, action: 'save', categories: ['functional'], prior: null, gpc: false, now, newId })
 * // => { decision: { categories: ['functional'], ... }, accepted: ['functional'], refused: ['analytics', 'third-party'] }
 */
export function applyAction(input: {
  policy: CompiledPolicy;
  action: Action;
  categories: readonly CategoryId[];
  /** The verified prior decision, current or not (its id is kept). */
  prior: ConsentDecision | null;
  /** Categories allowed before this decision (for `contextual`, which adds to them). */
  allowedBefore: readonly CategoryId[];
  gpc: boolean;
  now: number;
  newId: () => string;
  /** The visitor's regime: withdrawing in an opt-out region must store a refusal (see below). */
  regime?: RegimeName;
}): DecisionOutcome {
  const { policy, action } = input;
  const optional = policy.optional;
  let chosen: CategoryId[];
  switch (action) {
    case 'accept-all':
      chosen = [...optional];
      break;
    case 'reject-all':
    case 'withdraw':
      chosen = [];
      break;
    case 'save':
      chosen = optional.filter((id) => input.categories.includes(id));
      break;
    case 'contextual':
      chosen = optional.filter((id) => input.categories.includes(id) || input.allowedBefore.includes(id));
      break;
  }
  const refused = optional.filter((id) => !chosen.includes(id));
  if (action === 'withdraw') {
    // "No decision" means essential only under opt-in; under opt-out it would allow everything
    // again, so there the withdrawal is kept as a refusal, under a new consent id.
    if (input.regime !== 'opt-out') return { decision: null, accepted: [], refused };
    return {
      decision: { revision: policy.policy.revision, categories: [], issued: input.now, gpc: input.gpc, id: input.newId() },
      accepted: [],
      refused,
    };
  }
  return {
    decision: {
      revision: policy.policy.revision,
      categories: chosen,
      issued: input.now,
      gpc: input.gpc,
      id: input.prior?.id ?? input.newId(),
    },
    accepted: chosen,
    refused,
  };
}

/**
 * A same-origin path to redirect to, or `/`: never `//host`, `/\host`, a scheme, or control
 * characters (header injection). Non-ASCII characters come back percent-encoded.
 * @example
 * safeReturnPath('/reports?x=1') // '/reports?x=1'
 * safeReturnPath('//evil.com')   // '/'
 */
export function safeReturnPath(value: string | undefined): string {
  if (!value || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  // A header value is bytes: send other characters percent-encoded, as a browser would.
  try {
    return value.replace(/[^\u0020-\u007e]+/g, (run) => encodeURIComponent(run));
  } catch {
    return '/'; // a lone surrogate cannot be encoded
  }
}

/**
 * Refuses cross-site writes (docs/enforcement.md): `Sec-Fetch-Site` decides when present; otherwise `Origin`
 * must be this origin or `null` (what a same-origin form may send); with neither, a `Referer`
 * must be this origin. A client that sends none of them is not a browser and cannot carry a
 * visitor's cookies across sites.
 * @example
 * isSameOriginWrite(new Headers({ referer: 'https://evil.example/page' }), new URL('https://shop.test/__consent')) // false
 */
export function isSameOriginWrite(headers: Headers, url: URL): boolean {
  const site = headers.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = headers.get('origin');
  const referer = headers.get('referer');
  // A sandboxed frame on another site also sends `Origin: null`; its Referer gives it away.
  if (origin === 'null') return referer === null || sameOrigin(referer, url);
  if (origin) return origin === url.origin;
  return referer === null || sameOrigin(referer, url);
}

/** Whether a Referer names this origin; one that does not parse is not this origin. */
function sameOrigin(referer: string, url: URL): boolean {
  try {
    return new URL(referer).origin === url.origin;
  } catch {
    return false;
  }
}
