// Grid layout rules for edit mode: a tile that was moved or resized keeps its place and
// any tile it now overlaps is pushed down below it, cascading, so tiles never overlap.
export interface Box { id: string, x: number, y: number, w: number, h: number }

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

export function pushOverlapsDown<T extends Box>(tiles: T[], movedId: string): T[] {
  const placed = tiles.map(tile => ({ ...tile }))
  const queue = placed.filter(tile => tile.id === movedId)
  // bounded: each push moves a tile strictly down, and there are few tiles
  for (let steps = 0; queue.length > 0 && steps < 10_000; steps++) {
    const anchor = queue.shift()!
    for (const other of placed) {
      if (other.id === anchor.id || !overlaps(anchor, other)) continue
      other.y = anchor.y + anchor.h
      queue.push(other)
    }
  }
  return placed
}
