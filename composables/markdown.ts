// A deliberately tiny markdown renderer for text tiles: headings, bold, italics, links,
// lists and paragraphs. All HTML in the source is escaped first, so a tile cannot inject
// markup. A link becomes an anchor only when its target is http(s), mailto or a path on
// this site; anything else (javascript:, data:, vbscript:, a disguised scheme) stays
// plain text, because a tile's author is not necessarily the person who clicks it.
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&amp;/g, '&')
}

const ALLOWED_SCHEME = /^(?:https?:\/\/|mailto:)/i

/**
 * Whether a link target (as the author wrote it) may become an href. A relative target
 * has no colon at all, since whatever precedes a colon could be read as a scheme, and
 * does not start with `//`, which leaves the site. Whitespace, control characters and
 * backslashes are refused because browsers drop or reinterpret them inside URLs
 * (`java\tscript:` is `javascript:` to them), and character references because they are
 * only ever written to disguise a scheme.
 */
export function isAllowedLinkTarget(target: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\s\\\u0000-\u001f\u007f-\u009f]/.test(target)) return false
  if (/&(?:#|[a-z][a-z0-9]*;)/i.test(target)) return false
  if (ALLOWED_SCHEME.test(target)) return true
  return !target.includes(':') && !target.startsWith('//')
}

function emphasis(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\*(.+?)\*/g, '<em>$1</em>')
    .replace(/`(.+?)`/g, '<code>$1</code>')
}

const LINK = /\[([^\]]+)\]\(([^)\s]*)\)/g

// Links are cut out before emphasis, so an asterisk in a URL never puts markup into an href.
function inline(text: string): string {
  let html = ''
  let last = 0
  for (const match of text.matchAll(LINK)) {
    const [source, label, target] = match as unknown as [string, string, string]
    html += emphasis(text.slice(last, match.index))
    html += isAllowedLinkTarget(unescapeHtml(target))
      ? `<a href="${target}" target="_blank" rel="noopener">${emphasis(label)}</a>`
      : emphasis(source)
    last = match.index + source.length
  }
  return html + emphasis(text.slice(last))
}

export function renderMarkdown(source: string): string {
  const blocks: string[] = []
  let list: string[] = []
  const flushList = () => {
    if (list.length) blocks.push(`<ul>${list.map(item => `<li>${item}</li>`).join('')}</ul>`)
    list = []
  }
  for (const rawLine of escapeHtml(source).split('\n')) {
    const line = rawLine.trimEnd()
    const heading = /^(#{1,3}) (.*)$/.exec(line)
    const item = /^[-*] (.*)$/.exec(line)
    if (item) {
      list.push(inline(item[1]!))
      continue
    }
    flushList()
    if (heading) blocks.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`)
    else if (line.trim()) blocks.push(`<p>${inline(line)}</p>`)
  }
  flushList()
  return blocks.join('')
}
