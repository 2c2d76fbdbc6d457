/** The short table `npm run consent:stats` prints: the same figures as the report, as text. */
import { type Group, percent, points, revisionChanges, type Stats, type Tally } from './aggregate';
import { ACTION_LABELS, ACTION_ORDER, count } from './labels';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function shares(stats: Stats, tally: Tally): string[] {
  return [
    ...(['accept-all', 'reject-all', 'save'] as const).map((a) => percent(tally.actions[a], tally.total)),
    ...stats.categories.map((id) => percent(tally.accepted[id], tally.choices)),
  ];
}

function groupTable(stats: Stats, title: string, groups: readonly Group[], label: (g: Group) => string): string {
  const header = [title, 'decisions', 'accept all', 'reject all', 'custom', ...stats.categories];
  return table(
    header,
    groups.map((g) => [label(g), count(g.total), ...shares(stats, g)]),
  );
}

/**
 * @example
 * console.log(formatSummary(stats, 'local'));
 */
export function formatSummary(stats: Stats, where: string): string {
  const { all } = stats;
  const head = `Consent decisions ${stats.from} to ${stats.to} (${where} database): ${count(all.total)}`;
  if (all.total === 0) return `${head}\nNo decisions in this range.`;
  const actions = table(
    ['decision', 'count', 'share'],
    ACTION_ORDER.map((a) => [ACTION_LABELS[a], count(all.actions[a]), percent(all.actions[a], all.total)]),
  );
  const categories = stats.categories.map((id) => `${id} ${percent(all.accepted[id], all.choices)}`).join(', ');
  return [
    head,
    '',
    actions,
    '',
    `Accepted, of ${count(all.choices)} choices (withdrawals aside): ${categories}`,
    `Global Privacy Control sent with ${percent(all.gpc, all.total)} of decisions`,
    '',
    groupTable(stats, 'revision', stats.byRevision, (g) => g.key),
    ...revisionChanges(stats).map(
      (c) =>
        `revision ${c.from} → ${c.to}: accept all ${points(c.actions['accept-all'])}, reject all ${points(c.actions['reject-all'])}, ${stats.categories.map((id) => `${id} ${points(c.accepted[id])}`).join(', ')}`,
    ),
  ].join('\n');
}
