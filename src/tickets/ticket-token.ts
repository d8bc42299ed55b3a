/** The token carried in subjects so replies find their ticket: "[#1042]". */
export function formatTicketToken(number: number): string {
  return `[#${number}]`;
}

export function subjectWithToken(subject: string, number: number): string {
  const token = formatTicketToken(number);
  return subject.includes(token) ? subject : `${subject} ${token}`.trim();
}
