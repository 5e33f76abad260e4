//! Tests of the IDX reader: in-memory files, plain and gzipped, one per error.

use std::io::Write;

use super::*;

fn be(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_be_bytes()).collect()
}

fn images_file(count: u32, rows: u32, cols: u32, pixels: &[u8]) -> Vec<u8> {
    [be(&[IMAGES_MAGIC, count, rows, cols]), pixels.to_vec()].concat()
}

fn labels_file(labels: &[u8]) -> Vec<u8> {
    [be(&[LABELS_MAGIC, labels.len() as u32]), labels.to_vec()].concat()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn images(bytes: &[u8], limit: Option<usize>) -> Result<(Header, Vec<u8>)> {
    decode(Path::new("x.idx"), bytes, IMAGES, limit)
}

fn labels(bytes: &[u8], limit: Option<usize>) -> Result<Vec<u8>> {
    Ok(decode(Path::new("y.idx"), bytes, LABELS, limit)?.1)
}

fn reason(r: Result<impl core::fmt::Debug>) -> String {
    match r.unwrap_err() {
        Error::Idx { path, reason } => {
            assert!(path.ends_with("x.idx") || path.ends_with("y.idx"));
            reason
        }
        other => panic!("expected Error::Idx, got {other}"),
    }
}

/// Two 2 × 3 images: 0, 51, …, 255 (51 = 255/5) and the same reversed.
const TWO: [u8; 12] = [0, 51, 102, 153, 204, 255, 255, 204, 153, 102, 51, 0];

#[test]
fn gzipped_images_round_trip_to_columns_over_255() {
    let (h, px) = images(&gzip(&images_file(2, 2, 3, &TWO)), None).unwrap();
    assert_eq!(
        (h.count, h.rows, h.cols, px.as_slice()),
        (2, 2, 3, &TWO[..])
    );
    let imgs = Images {
        path: "x.idx".into(),
        count_in_file: 2,
        len: 2,
        rows: 2,
        cols: 3,
        pixels: px,
    };
    assert_eq!(imgs.image(1), &TWO[6..]);
    // Column j is image j: row p = (pixel p of image 0, pixel p of image 1) / 255.
    let x: Batch<6, f64> = imgs.to_batch().unwrap();
    let expected = [0., 1., 0.2, 0.8, 0.4, 0.6, 0.6, 0.4, 0.8, 0.2, 1., 0.];
    for (got, want) in x.as_slice().iter().zip(expected) {
        assert!((got - want).abs() < 1e-15, "{got} vs {want}");
    }
    assert_eq!(x.batch_size(), 2);
}

#[test]
fn plain_and_gzipped_files_read_the_same() {
    let plain = images_file(2, 2, 3, &TWO);
    assert_eq!(
        images(&plain, None).unwrap().1,
        images(&gzip(&plain), None).unwrap().1
    );
    let y = labels_file(&[7, 2, 1]);
    assert_eq!(labels(&y, None).unwrap(), [7, 2, 1]);
    assert_eq!(labels(&gzip(&y), None).unwrap(), [7, 2, 1]);
}

#[test]
fn first_n_reads_n_samples_or_all_there_are() {
    // The trailing junk is never reached when only the first sample is read.
    let file = [images_file(2, 2, 3, &TWO), vec![9; 5]].concat();
    assert_eq!(images(&gzip(&file), Some(1)).unwrap().1, &TWO[..6]);
    assert_eq!(labels(&labels_file(&[4, 5]), Some(9)).unwrap(), [4, 5]);
    assert_eq!(labels(&labels_file(&[4, 5]), Some(0)).unwrap(), [0u8; 0]);
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let err = read_labels("no/such/dir/t10k-labels-idx1-ubyte.gz").unwrap_err();
    assert!(matches!(&err, Error::Io { source, .. } if source.kind() == io::ErrorKind::NotFound));
    assert!(
        err.to_string()
            .starts_with("no/such/dir/t10k-labels-idx1-ubyte.gz: "),
        "{err}"
    );
}

#[test]
fn a_corrupt_or_cut_gzip_stream_is_an_idx_error() {
    let gz = gzip(&images_file(2, 2, 3, &TWO));
    let failed = |bytes: &[u8]| {
        let r = reason(images(bytes, None));
        assert!(r.starts_with("gzip decoding failed: "), "{r}");
        r
    };
    // The gzip header is 10 bytes; bits 1–2 of byte 10 are the first deflate block's type,
    // and type 3 is reserved (RFC 1951 §3.2.3). flate2 says "corrupt deflate stream".
    let mut bad_block = gz.clone();
    bad_block[10] |= 0b110;
    let _ = failed(&bad_block);
    // Byte 2 is the compression method; 8 (deflate) is the only one defined (RFC 1952).
    let mut bad_method = gz.clone();
    bad_method[2] = 9;
    assert!(failed(&bad_method).ends_with("invalid gzip header"));
    // A file cut inside the deflate data ("incomplete deflate stream").
    let _ = failed(&gz[..gz.len() - 10]);
    // The 8-byte trailer is the CRC-32 of the data, then its size mod 2³².
    let mut bad_crc = gz.clone();
    let crc = bad_crc.len() - 8;
    bad_crc[crc] ^= 1;
    assert!(failed(&bad_crc).contains("checksum"));
}

#[test]
fn a_wrong_magic_says_expected_and_found() {
    assert_eq!(
        reason(images(&gzip(&labels_file(&[1, 2])), None)),
        "expected magic 2051 (images), found 2049 (labels)"
    );
    assert_eq!(
        reason(labels(&images_file(1, 1, 1, &[0]), None)),
        "expected magic 2049 (labels), found 2051 (images)"
    );
    assert_eq!(
        reason(labels(b"label,x\n1,2\n", None)),
        "expected magic 2049 (labels), found 1818321509"
    );
}

#[test]
fn a_truncated_header_is_an_error() {
    let file = images_file(2, 2, 3, &TWO);
    assert_eq!(
        reason(images(&gzip(&file[..12]), None)),
        "truncated header: 12 bytes, an IDX images header has 16"
    );
    assert_eq!(
        reason(labels(&[0, 0], None)),
        "truncated header: 2 bytes, an IDX labels header has 8"
    );
    assert!(reason(images(&[], None)).starts_with("truncated header: 0 bytes"));
}

#[test]
fn truncated_data_says_bytes_expected_and_present() {
    let file = images_file(2, 2, 3, &TWO);
    assert_eq!(
        reason(images(&gzip(&file[..16 + 7]), None)),
        "truncated data: expected 12 bytes for 2 images of 2 × 3 after the header, found 7"
    );
    let y = labels_file(&[1, 2, 3]);
    assert_eq!(
        reason(labels(&y[..9], Some(2))),
        "truncated data: expected 2 bytes for 2 labels after the header, found 1"
    );
}

#[test]
fn an_absurd_header_count_is_an_error_not_an_allocation() {
    // 4294967295 images of 28 × 28 would be 3.4 TB; the file has 84 pixel bytes.
    let file = images_file(u32::MAX, 28, 28, &[0; 84]);
    assert_eq!(
        reason(images(&file, None)),
        "the header announces 4294967295 images of 28 × 28 = 3367254359280 bytes, more than \
         the 1073741824 (1 GiB) an IDX file may hold"
    );
    // count · rows · cols = (2³² − 1)³ overflows u64 but not the u128 it is computed in.
    let huge = images_file(u32::MAX, u32::MAX, u32::MAX, &[1, 2, 3]);
    assert!(reason(images(&gzip(&huge), None)).contains("more than the 1073741824 (1 GiB)"));
    // Within the cap, the data is read as far as it goes and compared with the header.
    let file = images_file(1000, 28, 28, &[0; 84]);
    assert_eq!(
        reason(images(&file, None)),
        "truncated data: expected 784000 bytes for 1000 images of 28 × 28 after the header, \
         found 84"
    );
    // The first n images of such a file are within the cap.
    let first = images(&images_file(u32::MAX, 2, 3, &TWO), Some(2)).unwrap();
    assert_eq!(first.1, TWO);
}

#[test]
fn a_gzip_bomb_costs_at_most_the_caps() {
    // Before: a 14 MB gzip whose header claims 2³¹ images grew to 3.1 GB before failing.
    // Here 64 MiB of zeros (a 64 kB gzip stream) follow a header of 2³¹ images: refused
    // after the 16 header bytes.
    let header = images_file(1 << 31, 28, 28, &[]);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&header).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = enc.finish().unwrap();
    assert!(bomb.len() < 1 << 17, "{} bytes", bomb.len());
    assert!(reason(images(&bomb, None)).starts_with("the header announces 2147483648 images"));
    // A header of 2 labels followed by the same 64 MiB: only 1 MiB of it is inflated.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&labels_file(&[1, 2])).unwrap();
    for _ in 0..64 {
        enc.write_all(&zeros).unwrap();
    }
    assert_eq!(
        reason(labels(&enc.finish().unwrap(), None)),
        "at least 1048576 bytes after the 2 labels the header announces"
    );
}

#[test]
fn bytes_after_the_announced_samples_are_an_error() {
    let file = [labels_file(&[1, 2]), vec![3]].concat();
    assert_eq!(
        reason(labels(&gzip(&file), None)),
        "1 byte after the 2 labels the header announces"
    );
}

#[test]
fn sizes_other_than_asked_are_errors() {
    let imgs = Images {
        path: "x.idx".into(),
        count_in_file: 2,
        len: 2,
        rows: 2,
        cols: 3,
        pixels: TWO.to_vec(),
    };
    assert!(imgs.check_dims(2, 3).is_ok());
    assert_eq!(
        reason(imgs.check_dims(28, 28)),
        "images are 2 × 3, expected 28 × 28"
    );
    assert_eq!(
        reason(imgs.to_batch::<784, f32>()),
        "images are 2 × 3 = 6 pixels, expected 784"
    );
}
