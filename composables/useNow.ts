// One clock for every "N min ago" on the page, ticking every 30 s.
const now = ref(Date.now())
let timer: ReturnType<typeof setInterval> | undefined

export function useNow() {
  if (!timer && typeof window !== 'undefined') timer = setInterval(() => { now.value = Date.now() }, 30_000)
  return now
}
