import { describe, expect, it } from 'vitest'
import { isAllowedLinkTarget, renderMarkdown } from '../../composables/markdown'

const link = (target: string) => renderMarkdown(`[click me](${target})`)

describe('markdown links in text tiles', () => {
  it('makes anchors of http, https, mailto and paths on this site', () => {
    expect(link('https://example.com/a?b=1&c=2')).toBe('<p><a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener">click me</a></p>')
    expect(link('HTTP://example.com')).toContain('href="HTTP://example.com"')
    expect(link('mailto:ops@example.com')).toContain('href="mailto:ops@example.com"')
    for (const path of ['/dashboards/42?days=7', 'dashboards/42', './x', '../x', '#totals', '?days=7']) {
      expect(link(path), path).toContain(`href="${path}"`)
    }
  })

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'JAVASCRIPT:alert(document.cookie)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'java&#x73;cript:alert(1)',
    '&#106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    '%6Aavascript:alert(1)',
    '//evil.example/phish',
    '/\\evil.example/phish',
  ])('leaves a link to %s as plain text', (target) => {
    const html = link(target)
    expect(html).not.toContain('<a')
    expect(html).not.toContain('href')
    expect(html).toContain('[click me](')
  })

  it('refuses targets a browser would read differently from how they look', () => {
    // browsers drop tabs and line breaks inside URLs, so these are javascript: to them
    for (const target of ['java\tscript:alert(1)', 'java\nscript:alert(1)', ' javascript:alert(1)', 'javascript\u0000:alert(1)', '\u0001javascript:alert(1)']) {
      expect(isAllowedLinkTarget(target), JSON.stringify(target)).toBe(false)
    }
    expect(renderMarkdown('[x]( javascript:alert(1))')).not.toContain('href')
    expect(renderMarkdown('[x](java\tscript:alert(1))')).not.toContain('href')
  })

  it('keeps markup out of an href, whatever the target contains', () => {
    expect(link('/a*b*c')).toContain('href="/a*b*c"')
    expect(link('https://example.com/"onmouseover="alert`1`')).toContain('href="https://example.com/&quot;onmouseover=&quot;alert`1`"')
  })
})
