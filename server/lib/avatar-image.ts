import sharp from 'sharp';

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_SIZE = 256;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);

export class ImageError extends Error {
  override name = 'ImageError';
}

/**
 * Decodes an upload by its content (never its name or declared type), accepts JPEG, PNG and WebP,
 * and re-encodes it as a 256x256 WebP. Re-encoding drops EXIF/GPS and anything smuggled in the file.
 */
export async function toAvatarWebp(input: Buffer): Promise<Buffer> {
  if (input.length > AVATAR_MAX_BYTES) throw new ImageError('The image is larger than 2 MB.');
  let format: string | undefined;
  try {
    format = (await sharp(input).metadata()).format;
  } catch {
    throw new ImageError('That file is not an image we can read. Use a JPEG, PNG or WebP picture.');
  }
  if (!format || !ACCEPTED.has(format)) {
    throw new ImageError('Only JPEG, PNG and WebP pictures are accepted.');
  }
  try {
    return await sharp(input, { failOn: 'error', limitInputPixels: 40_000_000 })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'attention' })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw new ImageError('The image is damaged or incomplete.');
  }
}
