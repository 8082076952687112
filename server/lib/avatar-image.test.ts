import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AVATAR_MAX_BYTES, ImageError, toAvatarWebp } from './avatar-image.js';

const picture = (format: 'png' | 'jpeg' | 'webp', width = 640, height = 480) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .toFormat(format)
    .toBuffer();

describe('toAvatarWebp', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('turns a %s into a 256x256 WebP', async (format) => {
    const out = await toAvatarWebp(await picture(format));
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
  });

  it('strips metadata such as EXIF', async () => {
    const withExif = await sharp(await picture('jpeg'))
      .withExif({ IFD0: { Copyright: 'secret location' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(withExif).metadata()).exif).toBeDefined();
    const out = await toAvatarWebp(withExif);
    expect((await sharp(out).metadata()).exif).toBeUndefined();
  });

  it('refuses a text file, whatever it is called', async () => {
    await expect(toAvatarWebp(Buffer.from('hello, I am a .png'))).rejects.toThrow(ImageError);
  });

  it('refuses other image formats', async () => {
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: 'red' } })
      .gif()
      .toBuffer();
    await expect(toAvatarWebp(gif)).rejects.toThrow('Only JPEG, PNG and WebP pictures are accepted.');
  });

  it('refuses a truncated image', async () => {
    const png = await picture('png', 800, 800);
    await expect(toAvatarWebp(png.subarray(0, Math.floor(png.length / 2)))).rejects.toThrow(ImageError);
  });

  it('refuses more than 2 MB', async () => {
    await expect(toAvatarWebp(Buffer.alloc(AVATAR_MAX_BYTES + 1))).rejects.toThrow('larger than 2 MB');
  });
});
