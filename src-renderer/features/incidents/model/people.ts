/** "People involved" is typed as free text: one name per line or commas between names. */
export function parsePeople(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((name) => name.trim().replace(/\s+/g, ' '))
    .filter((name) => name.length > 0);
}

export function formatPeople(people: readonly string[]): string {
  return people.join('\n');
}
