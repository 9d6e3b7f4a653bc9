/** Delivery priorities in rising order; merging two rules keeps the higher one. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export type Priority = (typeof PRIORITIES)[number];

export function isPriority(name: string): name is Priority {
  return (PRIORITIES as readonly string[]).includes(name);
}

export function higherPriority(a: Priority, b: Priority): Priority {
  return PRIORITIES.indexOf(a) >= PRIORITIES.indexOf(b) ? a : b;
}
