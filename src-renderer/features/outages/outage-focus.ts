/**
 * "Visa avbrottet" from a line's detail: the outage to highlight when the outages page
 * opens next. The shell's pages take no arguments, so the request waits here until
 * the page has read it.
 */
let requested: string | null = null;

export function requestOutageFocus(outageId: string): void {
  requested = outageId;
}

export function requestedOutageFocus(): string | null {
  return requested;
}

export function clearOutageFocus(): void {
  requested = null;
}
