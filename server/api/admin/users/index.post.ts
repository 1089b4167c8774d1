import { createMember, EmailTakenError } from '../../../auth/accounts'
import { newMemberBody } from '#shared/schemas/auth'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'user:manage')
  const body = await readValidBody(event, newMemberBody)
  try {
    const member = await createMember(orgId, body)
    setResponseStatus(event, 201)
    return member
  }
  catch (error) {
    if (error instanceof EmailTakenError) {
      throw createError({ statusCode: 409, message: 'A user with this email already exists', data: { issues: [{ path: 'email', message: 'is already taken' }] } })
    }
    throw error
  }
})
