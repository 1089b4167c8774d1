// Adds a user to the admin's org. Emails are unique across the whole server, so an email
// can be taken by a member of this org or by a user of another org; both get the same
// 409, word for word, and the password is hashed before the check either way. Saying
// "belongs to another org" (or answering faster) would let any org's admin find out who
// has an account elsewhere on the server.
import { createMember, EmailTakenError } from '../../../auth/accounts'
import { newMemberBody } from '#shared/schemas/auth'

const EMAIL_TAKEN = { statusCode: 409, message: 'A user with this email already exists', data: { issues: [{ path: 'email', message: 'is already taken' }] } }

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'user:manage')
  const body = await readValidBody(event, newMemberBody)
  try {
    const member = await createMember(orgId, body)
    setResponseStatus(event, 201)
    return member
  }
  catch (error) {
    if (error instanceof EmailTakenError) throw createError(EMAIL_TAKEN)
    throw error
  }
})
