//! Subresource Integrity strings (`sha512-<base64>`, as npm, yarn v1, pnpm and bun record
//! them) and bare hex digests, as [`struct@Hash`]es with lower-case hex values.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::finding::{Hash, HashAlgorithm};

/// The longest digest decoded (SHA-512's 64 bytes, with room for base64's rounding).
const MAX_DIGEST_BYTES: usize = 66;

/// The hashes of an SRI string; it may hold several space-separated `algo-base64` items.
/// Items with an unknown algorithm or bad base64 are left out: they describe nothing usable.
pub fn parse_sri(sri: &str) -> Vec<Hash> {
    sri.split_ascii_whitespace().filter_map(parse_sri_item).collect()
}

fn parse_sri_item(item: &str) -> Option<Hash> {
    let (algorithm, digest) = item.split_once('-')?;
    let algorithm = match algorithm {
        "sha1" => HashAlgorithm::Sha1,
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        _ => return None,
    };
    // SRI allows `?options` after the digest.
    let digest = digest.split('?').next().unwrap_or(digest);
    let mut bytes = [0u8; MAX_DIGEST_BYTES];
    let length = STANDARD.decode_slice(digest, &mut bytes).ok()?;
    Some(Hash { algorithm, value: hex(bytes.get(..length)?) })
}

/// A SHA-1 given as 40 hex digits (yarn v1 puts one after `#` in `resolved` URLs).
pub fn sha1_hex(digest: &str) -> Option<Hash> {
    (digest.len() == 40 && digest.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Hash { algorithm: HashAlgorithm::Sha1, value: digest.to_ascii_lowercase() })
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.extend([DIGITS[usize::from(byte >> 4)], DIGITS[usize::from(byte & 0x0f)]]);
    }
    // Only ASCII hex digits were written.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512_sri_becomes_hex() {
        let hashes = parse_sri(
            "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==",
        );
        assert_eq!(hashes.len(), 1);
        assert_eq!(hashes[0].algorithm, HashAlgorithm::Sha512);
        assert!(hashes[0].value.starts_with("e8597"));
        assert_eq!(hashes[0].value.len(), 128);
    }

    #[test]
    fn several_items_unknown_algorithms_and_bad_base64() {
        let too_long = format!("sha512-{}", "A".repeat(200));
        assert!(parse_sri(&too_long).is_empty(), "longer than any digest");
        let hashes = parse_sri("sha1-AAAA md5-AAAA sha256-!!! sha384-AAAA?opt");
        let algorithms: Vec<_> = hashes.iter().map(|h| h.algorithm).collect();
        assert_eq!(algorithms, vec![HashAlgorithm::Sha1, HashAlgorithm::Sha384]);
    }

    #[test]
    fn sha1_hex_digest() {
        assert!(sha1_hex("3C7C9C46E678FEEFE7A2E5BB609D3DBD665FFB3F").is_some());
        assert!(sha1_hex("abc").is_none());
        assert!(sha1_hex("zz7c9c46e678feefe7a2e5bb609d3dbd665ffb3f").is_none());
    }
}
