// Maps a Postgres error position (1-based, in the compiled SQL the worker ran) back to the
// editor's text, where {{name}} placeholders stand for `$n::type` and [[ ... ]] optional
// blocks are either kept without their brackets or dropped. Walks both texts side by side.
const placeholder = /^\{\{\s*[A-Za-z_][\w.]*\s*\}\}/
const bindMarker = /^\$\d+(::[a-z0-9_]+(\[\])?)?/

function matchingClose(text: string, open: number): number {
  let depth = 0
  for (let index = open; index < text.length - 1; index++) {
    if (text.startsWith('[[', index)) {
      depth++
      index++
    }
    else if (text.startsWith(']]', index)) {
      depth--
      if (depth === 0) return index
      index++
    }
  }
  return text.length
}

/** The 0-based offset in `original` of 1-based `position` in `compiled`. */
export function originalOffset(original: string, compiled: string, position: number): number {
  const target = position - 1
  let i = 0
  let j = 0
  while (j < target && i < original.length) {
    const rest = original.slice(i)
    const marker = bindMarker.exec(compiled.slice(j))
    const name = placeholder.exec(rest)
    if (name && marker) {
      if (j + marker[0].length > target) return i
      i += name[0].length
      j += marker[0].length
    }
    else if (rest.startsWith('[[')) {
      const close = matchingClose(original, i)
      const inner = original.slice(i + 2, close).replace(placeholder, '').slice(0, 12)
      // a dropped block's content is absent from the compiled text: skip it whole
      const kept = compiled.slice(j).startsWith(original.slice(i + 2, i + 2 + Math.min(12, inner.length)))
      i = kept ? i + 2 : close + 2
    }
    else if (rest.startsWith(']]')) i += 2
    else {
      i++
      j++
    }
  }
  return Math.min(i, original.length)
}
