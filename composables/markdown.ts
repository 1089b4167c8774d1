// A deliberately tiny markdown renderer for text tiles: headings, bold, italics, links,
// lists and paragraphs. All HTML in the source is escaped first, so a tile cannot inject
// markup; links only allow http(s) and relative targets.
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function inline(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\*(.+?)\*/g, '<em>$1</em>')
    .replace(/`(.+?)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\(((?:https?:\/\/|\/)[^\s)]*)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
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
