import { describe, expect, it } from 'vitest'
import { clientAddressFrom } from '../../server/auth/client-address'

describe('the client address of a request', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddressFrom('10.0.0.5', '203.0.113.9', 0)).toBe('10.0.0.5')
  })

  it('is the entry our one proxy appended, not what the client wrote before it', () => {
    expect(clientAddressFrom('10.0.0.1', '203.0.113.9', 1)).toBe('203.0.113.9')
    expect(clientAddressFrom('10.0.0.1', 'spoofed, 203.0.113.9', 1)).toBe('203.0.113.9')
  })

  it('counts proxies from the right', () => {
    expect(clientAddressFrom('10.0.0.1', 'spoofed, 203.0.113.9, 10.0.0.2', 2)).toBe('203.0.113.9')
    // the request reached the inner proxy directly: its one entry is the sender
    expect(clientAddressFrom('10.0.0.1', '203.0.113.9', 2)).toBe('203.0.113.9')
  })

  it('is the socket address when a trusted proxy sent no header', () => {
    expect(clientAddressFrom('10.0.0.1', undefined, 1)).toBe('10.0.0.1')
    expect(clientAddressFrom('10.0.0.1', ' , ', 1)).toBe('10.0.0.1')
  })
})
