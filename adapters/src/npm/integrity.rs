//! `integrity` values: Subresource Integrity strings (`sha512-<base64>`, several separated by
//! spaces, each possibly followed by `?options`), as hex hashes.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::finding::{Hash, HashAlgorithm};

/// Standard base64, with or without padding (SRI strings are padded, but tools differ).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The hashes of an SRI string, or what is wrong with the first bad one.
pub(super) fn hashes(sri: &str) -> Result<Vec<Hash>, String> {
    sri.split_ascii_whitespace().map(hash).collect()
}

fn hash(token: &str) -> Result<Hash, String> {
    let token = token.split_once('?').map_or(token, |(hash, _options)| hash);
    let (name, digest) = token
        .split_once('-')
        .ok_or_else(|| format!("integrity `{token}` is not `<algorithm>-<base64 digest>`"))?;
    let (algorithm, length) = match name {
        "sha512" => (HashAlgorithm::Sha512, 64),
        "sha384" => (HashAlgorithm::Sha384, 48),
        "sha256" => (HashAlgorithm::Sha256, 32),
        "sha1" => (HashAlgorithm::Sha1, 20),
        "md5" => (HashAlgorithm::Md5, 16),
        _ => return Err(format!("integrity algorithm `{name}` is not one shelflife knows")),
    };
    let bytes = BASE64.decode(digest).map_err(|e| format!("integrity `{token}` is not valid base64: {e}"))?;
    if bytes.len() != length {
        return Err(format!("integrity `{token}` has {} bytes, {name} has {length}", bytes.len()));
    }
    Ok(Hash { algorithm, value: hex(&bytes) })
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512_and_sha1_decode_to_hex() {
        let found = hashes(
            "sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A== \
             sha1-7Kb5ZwB5DzqF+ORmXJqJG5HLw7M=?opt",
        )
        .unwrap();
        let sha512 =
            "4e9a7ad0fe885090d3b8eabfe59f1c76c93326e8dfc2a7ce4e4af02308fb211212a679099d3e92c89e0f08f9c6\
                      3281630bd75d85a979295218b40b7dee2c74e4";
        assert_eq!(
            found,
            vec![
                Hash { algorithm: HashAlgorithm::Sha512, value: sha512.into() },
                Hash {
                    algorithm: HashAlgorithm::Sha1,
                    value: "eca6f96700790f3a85f8e4665c9a891b91cbc3b3".into()
                },
            ]
        );
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(hashes("sha512-!!!").unwrap_err().contains("not valid base64"));
        assert!(hashes("whirlpool-AAAA").unwrap_err().contains("whirlpool"));
        assert!(hashes("sha1-AAAA").unwrap_err().contains("has 3 bytes"));
        assert!(hashes("nodash").unwrap_err().contains("not `<algorithm>-"));
        assert_eq!(hashes("").unwrap(), vec![]);
    }
}
