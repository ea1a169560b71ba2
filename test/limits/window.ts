/**
 * Rate limits count in windows aligned to the wall clock (miniflare's, like
 * Cloudflare's, are `floor(now / period)`), so a test that counts requests up
 * to a limit fails if a window ends half-way. It starts in a fresh one instead.
 */
export async function freshWindow(needMs = 3000, periodMs = 10_000): Promise<void> {
  const left = periodMs - (Date.now() % periodMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 20));
}
