// Common cron shapes said in words ("weekdays at 09:00"); anything else is shown as the
// expression itself. Used by the schedules page and the editor.
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MACRO_WORDS: Record<string, string> = {
  '@yearly': 'every year on 1 January at 00:00', '@annually': 'every year on 1 January at 00:00',
  '@monthly': 'monthly on day 1 at 00:00', '@weekly': 'every Sunday at 00:00',
  '@daily': 'every day at 00:00', '@hourly': 'every hour at :00',
}

const isNumber = (field: string) => /^\d+$/.test(field)
const pad = (value: string) => value.padStart(2, '0')

export function describeCron(cron: string): string {
  const trimmed = cron.trim()
  if (trimmed.startsWith('@')) return MACRO_WORDS[trimmed.toLowerCase()] ?? trimmed
  const [minute, hour, dayOfMonth, month, dayOfWeek] = trimmed.split(/\s+/)
  if (!minute || !hour || !dayOfMonth || !month || !dayOfWeek) return trimmed
  const everyDay = dayOfMonth === '*' && month === '*'
  if (minute === '*' && hour === '*' && everyDay && dayOfWeek === '*') return 'every minute'
  const step = minute.match(/^\*\/(\d+)$/)
  if (step && hour === '*' && everyDay && dayOfWeek === '*') return `every ${step[1]} minutes`
  if (isNumber(minute) && hour === '*' && everyDay && dayOfWeek === '*') return `every hour at :${pad(minute)}`
  if (!isNumber(minute) || !isNumber(hour)) return trimmed
  const at = `at ${pad(hour)}:${pad(minute)}`
  if (everyDay && dayOfWeek === '*') return `every day ${at}`
  if (everyDay && dayOfWeek === '1-5') return `weekdays ${at}`
  if (everyDay && isNumber(dayOfWeek)) return `every ${DAY_NAMES[Number(dayOfWeek) % 7]} ${at}`
  if (isNumber(dayOfMonth) && month === '*' && dayOfWeek === '*') return `monthly on day ${dayOfMonth} ${at}`
  return trimmed
}
