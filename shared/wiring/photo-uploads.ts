import { createUploadSigner } from '#shared/adapters/photo-uploads';
import type { UploadDeps } from '#shared/domain/photos/use-cases';
import { bucketLocation, getPhotoStore, photoClock } from './photos.ts';
import { getQuotas } from './quotas.ts';

let deps: UploadDeps | undefined;

/** The upload function's adapters: photo records and the presigned-POST signer, built once. */
export function getUploadDeps(): UploadDeps {
  deps ??= { store: getPhotoStore(), uploads: createUploadSigner(bucketLocation()), quotas: getQuotas(), ...photoClock };
  return deps;
}
