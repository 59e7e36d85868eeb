import { inflateSync } from 'node:zlib';

/** PNG file signature (first 8 bytes of every PNG). */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** Width and height from the IHDR chunk (bytes 16..23, big-endian). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Minimal decoder for the PNGs resvg writes: 8-bit, non-interlaced, RGBA (colour type 6) or RGB (2).
 * Returns RGBA pixels. Test-only; not part of the package build.
 */
export function decodePng(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const { width, height } = pngSize(png);
  const bitDepth = png[24];
  const colorType = png[25];
  const interlace = png[28];
  if (bitDepth !== 8 || (colorType !== 6 && colorType !== 2) || interlace !== 0) {
    throw new Error(
      `unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`,
    );
  }
  const channels = colorType === 6 ? 4 : 3;
  const idat: Uint8Array[] = [];
  for (let pos = 8; pos < png.length; ) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
    if (type === 'IDAT') idat.push(png.subarray(pos + 8, pos + 8 + length));
    if (type === 'IEND') break;
    pos += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * channels);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!;
    const src = row * (stride + 1) + 1;
    const dst = row * stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= channels ? out[dst + i - channels]! : 0;
      const b = row > 0 ? out[dst - stride + i]! : 0;
      const c = row > 0 && i >= channels ? out[dst - stride + i - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[dst + i] = (x + predictor) & 0xff;
    }
  }
  if (channels === 4) return { width, height, pixels: out };
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    rgba.set(out.subarray(p * 3, p * 3 + 3), p * 4);
    rgba[p * 4 + 3] = 255;
  }
  return { width, height, pixels: rgba };
}

/** Number of pixels whose RGB is within `tolerance` of `rgb` (alpha ignored). */
export function countColor(
  pixels: Uint8Array,
  rgb: readonly [number, number, number],
  tolerance = 0,
): number {
  let count = 0;
  for (let p = 0; p < pixels.length; p += 4) {
    if (
      Math.abs(pixels[p]! - rgb[0]) <= tolerance &&
      Math.abs(pixels[p + 1]! - rgb[1]) <= tolerance &&
      Math.abs(pixels[p + 2]! - rgb[2]) <= tolerance
    ) {
      count++;
    }
  }
  return count;
}

/** Number of pixels that are not (nearly) opaque white. */
export function countNonWhite(pixels: Uint8Array): number {
  let count = 0;
  for (let p = 0; p < pixels.length; p += 4) {
    if (pixels[p]! < 250 || pixels[p + 1]! < 250 || pixels[p + 2]! < 250) count++;
  }
  return count;
}
