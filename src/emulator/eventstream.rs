//! AWS event-stream framing for ConverseStream (Smithy `amazon-eventstream`): each message is
//! `total_len | headers_len | prelude_crc | headers | payload | message_crc`, big-endian, CRC32.

use serde_json::Value;

/// One event message with string headers `:message-type`, `:event-type`, `:content-type`.
pub fn event(event_type: &str, payload: &Value) -> Vec<u8> {
    let payload = serde_json::to_vec(payload).expect("JSON serialises");
    message(
        &[
            (":event-type", event_type),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ],
        &payload,
    )
}

pub fn message(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let mut encoded_headers = Vec::new();
    for (name, value) in headers {
        encoded_headers.push(name.len() as u8);
        encoded_headers.extend_from_slice(name.as_bytes());
        encoded_headers.push(7); // string
        encoded_headers.extend_from_slice(&(value.len() as u16).to_be_bytes());
        encoded_headers.extend_from_slice(value.as_bytes());
    }
    let total = 12 + encoded_headers.len() + payload.len() + 4;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(encoded_headers.len() as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&encoded_headers);
    out.extend_from_slice(payload);
    let message_crc = crc32fast::hash(&out);
    out.extend_from_slice(&message_crc.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_lengths_and_crcs() {
        let frame = message(&[(":message-type", "event")], b"{}");
        let total = u32::from_be_bytes(frame[0..4].try_into().unwrap()) as usize;
        assert_eq!(total, frame.len());
        let headers_len = u32::from_be_bytes(frame[4..8].try_into().unwrap()) as usize;
        assert_eq!(headers_len, 1 + 13 + 1 + 2 + 5);
        assert_eq!(
            u32::from_be_bytes(frame[8..12].try_into().unwrap()),
            crc32fast::hash(&frame[..8])
        );
        let end = frame.len() - 4;
        assert_eq!(
            u32::from_be_bytes(frame[end..].try_into().unwrap()),
            crc32fast::hash(&frame[..end])
        );
    }
}
