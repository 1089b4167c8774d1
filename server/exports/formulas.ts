// Spreadsheet formula injection (OWASP "CSV injection"): a text cell that begins with
// =, +, -, @, a tab or a carriage return is read as a formula by Excel, LibreOffice and
// Google Sheets, so a value a datasource returned (a customer's name, a ticket title)
// could run a formula, or DDE, on the machine of whoever opens the export. Such a cell
// gets a leading apostrophe, which spreadsheets treat as "this is text". Plain numbers
// (`-5`, `+1.5e3`) are left alone: they are not formulas, and a column of negative
// amounts must stay numbers. `?raw=1` on an export skips this for machine consumers.
const FORMULA_START = /^[=+\-@\t\r]/
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text
}
