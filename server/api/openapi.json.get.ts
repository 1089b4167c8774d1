// The OpenAPI 3.1 document of every route (server/openapi/). Public: it holds no org's
// data, only the shape of the API, which scripts and client generators fetch before
// they have credentials.
import { openApiDocument } from '../openapi/document'

export default defineEventHandler(() => openApiDocument())
