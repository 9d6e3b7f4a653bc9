/** A deliberately plain check: one @, no spaces or angle brackets, a dot in the domain. Providers do the rest. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(value);
}
