// Text placed in the page's HTML or SVG by the server: every character that could end a text node or
// an attribute value is replaced by its entity (the page's script uses textContent for the rest).
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
