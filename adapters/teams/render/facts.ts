import { type CardElement, richText } from './card.js';

/**
 * Label/value rows. A FactSet would read values as markdown, so values (ids, names, paths that the
 * tenant controls) go into TextRuns in a two-column layout instead.
 */
export function factRows(facts: { label: string; value: string }[]): CardElement[] {
  return facts.map((fact, i) => ({
    type: 'ColumnSet',
    spacing: i === 0 ? 'Medium' : 'None',
    columns: [
      { type: 'Column', width: 2, items: [richText([{ text: fact.label, weight: 'Bolder' }])] },
      { type: 'Column', width: 5, items: [richText([{ text: fact.value }])] },
    ],
  }));
}
