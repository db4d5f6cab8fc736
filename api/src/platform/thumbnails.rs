//! Small copies of photographs for lists and timelines, so that a phone on a slow connection
//! loads a few kilobytes per photo instead of the camera's megabytes. Decoding is also the
//! surest check that a file is the photograph its first bytes claim.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

/// The longest side of a thumbnail, in pixels: sharp on a phone's high-density screen at the
/// size the pages show it.
pub const SIDE: u32 = 320;

/// No photograph is wider or taller than this (a 100-megapixel camera is under 13,000).
const MAX_SIDE: u32 = 16_384;

#[derive(Debug, thiserror::Error)]
pub enum ThumbnailError {
    #[error("the picture cannot be read: {0}")]
    Unreadable(#[from] image::ImageError),
    #[error("the picture cannot be read: {0}")]
    Io(#[from] std::io::Error),
}

/// A JPEG at most [`SIDE`] pixels on its longest side, turned upright as the camera recorded it.
pub fn thumbnail(photo: &[u8]) -> Result<Vec<u8>, ThumbnailError> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    let mut reader = ImageReader::new(Cursor::new(photo)).with_guessed_format()?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut picture = DynamicImage::from_decoder(decoder)?;
    picture.apply_orientation(orientation);
    if picture.width() > SIDE || picture.height() > SIDE {
        picture = picture.thumbnail(SIDE, SIDE);
    }
    let small = DynamicImage::ImageRgb8(picture.into_rgb8());
    let mut out = Vec::new();
    small.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut out, 75,
    ))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = DynamicImage::ImageRgb8(image::RgbImage::new(width, height));
        let mut out = Cursor::new(Vec::new());
        picture
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        out.into_inner()
    }

    #[test]
    fn a_thumbnail_keeps_the_shape_within_its_side() {
        let thumb = thumbnail(&png(1200, 600)).unwrap_or_else(|e| panic!("{e}"));
        assert!(thumb.starts_with(&[0xff, 0xd8, 0xff]), "a JPEG");
        let back = image::load_from_memory(&thumb).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((back.width(), back.height()), (SIDE, SIDE / 2));
    }

    #[test]
    fn a_small_picture_is_not_enlarged_and_garbage_is_refused() {
        let thumb = thumbnail(&png(40, 30)).unwrap_or_else(|e| panic!("{e}"));
        let back = image::load_from_memory(&thumb).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((back.width(), back.height()), (40, 30));
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend_from_slice(&[0; 64]);
        assert!(thumbnail(&fake).is_err());
    }
}
