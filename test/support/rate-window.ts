/**
 * The rate limiting bindings count in fixed windows of their period: a burst that must land
 * in one window starts well clear of a window's end (waiting for the next one if needed).
 */
export async function clearOfWindowEdge(periodSeconds = 60, burstSeconds = 10): Promise<void> {
  const left = periodSeconds - ((Date.now() / 1000) % periodSeconds);
  if (left < burstSeconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 100));
}
