// The S3 side of result storage: one object per chunk under a per-run prefix. Configured
// only when TESSERA_S3_BUCKET is set; endpoint and path style make MinIO, Ceph and other
// S3-compatible stores work.
// The AWS SDK is loaded on first use: a process that never touches S3 (most, when S3 is
// not configured) does not carry its tens of megabytes.
import type { S3Client } from '@aws-sdk/client-s3'
import { useConfig } from '../config'
import { chunkContentEncoding } from './encoding'

let loaded: Promise<{ client: S3Client, sdk: typeof import('@aws-sdk/client-s3') }> | undefined

export function s3Configured(): boolean {
  return Boolean(useConfig().TESSERA_S3_BUCKET)
}

function s3() {
  loaded ??= import('@aws-sdk/client-s3')
    // bundled as CommonJS (the worker's entry), the SDK's exports arrive as the default export
    .then(module => ('S3Client' in module ? module : (module as unknown as { default: typeof module }).default))
    .then(sdk => ({ sdk, client: newClient(sdk) }))
  return loaded
}

function newClient({ S3Client }: typeof import('@aws-sdk/client-s3')): S3Client {
  const config = useConfig()
  return new S3Client({
    region: config.TESSERA_S3_REGION,
    endpoint: config.TESSERA_S3_ENDPOINT,
    forcePathStyle: config.TESSERA_S3_FORCE_PATH_STYLE,
    // checksums only where S3 requires them: many S3-compatible stores reject the
    // newer default (aws-chunked uploads with trailing CRC32)
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: config.TESSERA_S3_ACCESS_KEY_ID && config.TESSERA_S3_SECRET_ACCESS_KEY
      ? { accessKeyId: config.TESSERA_S3_ACCESS_KEY_ID, secretAccessKey: config.TESSERA_S3_SECRET_ACCESS_KEY }
      : undefined,
  })
}

function bucket(): string {
  return useConfig().TESSERA_S3_BUCKET!
}

export function objectPrefixFor(orgId: string, runId: string, attempt: number): string {
  return `${useConfig().TESSERA_S3_PREFIX}${orgId}/${runId}/${attempt}/`
}

export function chunkKey(objectPrefix: string, chunkIndex: number): string {
  return `${objectPrefix}${String(chunkIndex).padStart(8, '0')}.json`
}

export async function putChunk(objectPrefix: string, chunkIndex: number, data: Buffer): Promise<void> {
  const { client, sdk } = await s3()
  await client.send(new sdk.PutObjectCommand({ Bucket: bucket(), Key: chunkKey(objectPrefix, chunkIndex), Body: data, ContentType: 'text/plain; charset=utf-8', ContentEncoding: chunkContentEncoding }))
}

export async function getChunk(objectPrefix: string, chunkIndex: number): Promise<Uint8Array> {
  const { client, sdk } = await s3()
  const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket(), Key: chunkKey(objectPrefix, chunkIndex) }))
  return object.Body!.transformToByteArray()
}

/** Deletes every object under the prefix, a listing page (up to 1000 keys) at a time. */
export async function deletePrefix(objectPrefix: string): Promise<void> {
  const { client, sdk } = await s3()
  for (;;) {
    const listing = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket(), Prefix: objectPrefix, MaxKeys: 1000 }))
    const keys = (listing.Contents ?? []).map(object => ({ Key: object.Key! }))
    if (keys.length === 0) return
    await client.send(new sdk.DeleteObjectsCommand({ Bucket: bucket(), Delete: { Objects: keys, Quiet: true } }))
    if (!listing.IsTruncated) return
  }
}
