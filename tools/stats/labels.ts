/** Names of the figures as the report and the terminal table print them. */
import type { Action } from '../../src/consent/actions';
import { NOT_RECORDED } from './aggregate';

export const ACTION_LABELS: Record<Action, string> = {
  'accept-all': 'Accept all',
  'reject-all': 'Reject all',
  save: 'Custom',
  contextual: 'In context',
  withdraw: 'Withdraw',
};

/** Colour-blind safe (Okabe-Ito), each with enough contrast against white for a bar. */
export const ACTION_COLOURS: Record<Action, string> = {
  'accept-all': '#0072B2',
  save: '#009E73',
  contextual: '#CC79A7',
  'reject-all': '#D55E00',
  withdraw: '#6B6B6B',
};

/** Stacking order: consent given, then partial, then refused. */
export const ACTION_ORDER: readonly Action[] = ['accept-all', 'save', 'contextual', 'reject-all', 'withdraw'];

const SURFACES: Record<string, string> = {
  banner: 'Banner',
  dialog: 'Settings dialog',
  page: 'Settings page (no JavaScript)',
  placeholder: 'In context (placeholder, prompt)',
  api: 'API (no interface)',
};

export function surfaceLabel(key: string): string {
  return SURFACES[key] ?? (key === NOT_RECORDED ? 'Not recorded' : key);
}

export function localeLabel(key: string): string {
  return key === NOT_RECORDED ? 'Not recorded' : key;
}

export function gpcLabel(key: string): string {
  return key === 'gpc' ? 'Global Privacy Control sent' : 'No GPC signal';
}

/** `12345` → `12,345`, the same on every machine. */
export function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 decision`, `12,345 decisions`. */
export function decisions(n: number): string {
  return `${count(n)} ${n === 1 ? 'decision' : 'decisions'}`;
}
