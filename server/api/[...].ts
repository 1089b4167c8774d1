// Any /api path no route answers, for every method: a JSON 404. Without it the request
// would fall through to the app's HTML page, which a script or the CLI would read as a
// success.
export default defineEventHandler((event) => {
  throw createError({ statusCode: 404, message: `There is no API route ${event.method} ${event.path.split('?')[0]}` })
})
