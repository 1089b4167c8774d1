import { z } from 'zod'

// Ids are UUIDs in the database; a malformed one in a path is a 404-worthy 400, never a 500.
export const idSchema = z.uuid({ message: 'must be an id (UUID)' })
export const idParams = z.object({ id: idSchema })
