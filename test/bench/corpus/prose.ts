import type { SeededRandom } from './seeded-random.ts';

// Made-up helpdesk vocabulary: sentences read like support mail without copying anyone's.
const openers = ['Hi team', 'Hello', 'Good morning', 'Dear support', 'Hi all', 'Hallo zusammen', 'Bonjour'];
const subjects = ['the VPN client', 'my laptop', 'the printer on floor 3', 'the shared mailbox', 'the invoice portal', 'Teams', 'the badge reader', 'the expense report', 'the new monitor', 'SAP access', 'the conference room screen', 'my password'];
const verbs = ['stopped working', 'keeps crashing', 'shows an error', 'is very slow', 'asks for a licence', 'cannot connect', 'does not sync', 'lost my settings'];
const fillers = [
  'since this morning', 'after the last update', 'when I work from home', 'only on Mondays', 'for the whole team',
  'although I restarted twice', 'and the helpdesk page did not help', 'which blocks the quarter close',
];
const asks = [
  'Could you please have a look?', 'Can someone call me back?', 'Is there a known issue?', 'Please advise.',
  'Thanks in advance for your help.', 'Let me know if you need a screenshot.', 'This is urgent for us.',
];
const names = ['Anna Berg', 'Luca Rossi', 'Mia Novak', 'Jonas Weber', 'Sofia Lind', 'Omar Haddad', 'Eva Marsh', 'Tom Keller', 'Ines Duarte', 'Kai Laine'];
const companies = ['Fabrikam', 'Northwind', 'Tailspin Toys', 'Woodgrove Bank', 'Litware', 'Adventure Works'];

export const personName = (r: SeededRandom): string => r.pick(names);
export const companyName = (r: SeededRandom): string => r.pick(companies);
export const addressOf = (name: string, company: string): string =>
  `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`;

export function greeting(r: SeededRandom): string {
  return `${r.pick(openers)},`;
}

export function sentence(r: SeededRandom): string {
  return `${r.pick(subjects).replace(/^./, (c) => c.toUpperCase())} ${r.pick(verbs)} ${r.pick(fillers)}.`;
}

/** A paragraph of 2-5 sentences, now and then ending with a request. */
export function paragraph(r: SeededRandom): string {
  const parts = Array.from({ length: r.int(2, 5) }, () => sentence(r));
  if (r.chance(0.4)) parts.push(r.pick(asks));
  return parts.join(' ');
}

export function subjectLine(r: SeededRandom): string {
  return `${r.pick(subjects).replace(/^the /, '').replace(/^./, (c) => c.toUpperCase())} ${r.pick(verbs)}`;
}
