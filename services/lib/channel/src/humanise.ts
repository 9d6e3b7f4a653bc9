/** An event type as words for people: `stop_loss_triggered`, `risk.limit-breached` → "Stop Loss Triggered", "Risk Limit Breached". */
export function humanise(type: string): string {
  return type
    .toLowerCase()
    .split(/[_.:-]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}
