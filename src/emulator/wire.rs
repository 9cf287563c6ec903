//! Small wire-format helpers: RFC 3339 timestamps with milliseconds, prompt ids, request ids and
//! ARNs. Kept free of dependencies so the format is visible in one place.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// `2024-11-05T17:47:33.146Z` for a time in milliseconds since the epoch.
pub fn rfc3339(millis: u64) -> String {
    let secs = millis / 1000;
    let ms = millis % 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

const ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// A 10-character id of upper-case letters and digits, like `94AWYDN2VQ`.
pub fn new_prompt_id(rng: &mut fastrand::Rng) -> String {
    (0..10)
        .map(|_| ID_ALPHABET[rng.usize(..ID_ALPHABET.len())] as char)
        .collect()
}

/// A UUID v4 string for `X-Amzn-Requestid`.
pub fn new_request_id() -> String {
    let mut bytes: [u8; 16] = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

pub fn prompt_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:bedrock:{region}:{account}:prompt/{id}")
}

pub fn version_arn(region: &str, account: &str, id: &str, version: u32) -> String {
    format!("arn:aws:bedrock:{region}:{account}:prompt/{id}:{version}")
}

/// A prompt ARN taken apart: `arn:aws[-partition]:bedrock:{region}:{account}:prompt/{id}[:{version}]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptArn {
    pub region: String,
    pub account: String,
    pub id: String,
    pub version: Option<u32>,
}

pub fn parse_prompt_arn(arn: &str) -> Option<PromptArn> {
    let mut parts = arn.splitn(6, ':');
    let (arn_, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn_ != "arn" || !partition.starts_with("aws") || service != "bedrock" {
        return None;
    }
    let rest = resource.strip_prefix("prompt/")?;
    let (id, version) = match rest.split_once(':') {
        Some((id, v)) => (id, Some(v.parse::<u32>().ok()?)),
        None => (rest, None),
    };
    if id.len() != 10 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(PromptArn {
        region: region.to_owned(),
        account: account.to_owned(),
        id: id.to_owned(),
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339_with_millis() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_730_828_853_146), "2024-11-05T17:47:33.146Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn parses_prompt_arns() {
        let arn = parse_prompt_arn("arn:aws:bedrock:us-east-1:123456789012:prompt/ABCDEFGHIJ:3");
        assert_eq!(
            arn,
            Some(PromptArn {
                region: "us-east-1".into(),
                account: "123456789012".into(),
                id: "ABCDEFGHIJ".into(),
                version: Some(3)
            })
        );
        assert_eq!(
            parse_prompt_arn("arn:aws:bedrock:us-east-1:1:agent/ABCDEFGHIJ"),
            None
        );
        assert_eq!(parse_prompt_arn("ABCDEFGHIJ"), None);
    }

    #[test]
    fn request_ids_are_uuid_v4() {
        let id = new_request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }
}
