// The path of a star: `/api/favorites/queries/:id` or `/api/favorites/dashboards/:id`.
import { z } from 'zod'
import { idSchema } from '../ids'

export const favoriteKinds = ['queries', 'dashboards'] as const
export type FavoriteKind = (typeof favoriteKinds)[number]

export const favoriteParams = z.object({
  kind: z.enum(favoriteKinds, { message: 'must be queries or dashboards' }),
  id: idSchema,
})
