// `/api` itself is no route either: the same JSON 404 as any unknown path under it.
export { default } from './[...]'
