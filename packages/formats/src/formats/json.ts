/** A JSON string literal. */
export function escapeJson(text: string): string {
  return JSON.stringify(text);
}
