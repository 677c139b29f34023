//! The streaming decoders of the encodings other than UTF-8, written here
//! rather than taken from encoding_rs: its `Decoder` dispatches over every
//! encoding the WHATWG names, so a single use of it links the Chinese,
//! Japanese and Korean tables (118 KB) and their decoders (40 KB of code)
//! into the worker, for three encodings that fit in a page. The mappings
//! are the WHATWG's (what encoding_rs implements); the tests check them
//! against encoding_rs byte by byte.

use super::encoding::TextEncoding;

/// Windows-1252's characters for the bytes 0x80–0x9F (the WHATWG's index):
/// the rest of its bytes are Latin-1's, the code point equal to the byte.
/// The five bytes Windows leaves undefined map to the C1 control of the
/// same number, as in the WHATWG's index.
const WINDOWS_1252_80_9F: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}', '\u{2030}',
    '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}',
    '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}',
    '\u{017E}', '\u{0178}',
];

/// ISO-8859-15 (Latin-9): Latin-1 but for eight bytes.
fn latin_9(byte: u8) -> char {
    match byte {
        0xA4 => '\u{20AC}',
        0xA6 => '\u{0160}',
        0xA8 => '\u{0161}',
        0xB4 => '\u{017D}',
        0xB8 => '\u{017E}',
        0xBC => '\u{0152}',
        0xBD => '\u{0153}',
        0xBE => '\u{0178}',
        _ => char::from(byte),
    }
}

/// A decoder fed a file's bytes chunk by chunk; what a chunk ends with that
/// is not a whole character yet is carried over to the next.
pub(super) enum Decoder {
    /// One byte, one character: nothing to carry.
    Windows1252,
    Latin9,
    /// Without the BOM, which the caller drops.
    Utf16 {
        big_endian: bool,
        /// The first byte of a code unit cut by the chunk's end.
        odd: Option<u8>,
        /// A high surrogate waiting for its low one.
        high: Option<u16>,
    },
}

impl Decoder {
    /// The decoder of `encoding`, or None for UTF-8 (read without decoding);
    /// for UTF-16, `first` (the file's first bytes) decides the byte order:
    /// big-endian with its BOM, little-endian (Windows') otherwise.
    pub(super) fn new(encoding: TextEncoding, first: &[u8]) -> Option<Self> {
        match encoding {
            TextEncoding::Utf8 => None,
            TextEncoding::Windows1252 => Some(Decoder::Windows1252),
            TextEncoding::Iso8859_15 => Some(Decoder::Latin9),
            TextEncoding::Utf16 => {
                Some(Decoder::Utf16 { big_endian: matches!(first, [0xFE, 0xFF, ..]), odd: None, high: None })
            }
        }
    }

    /// Appends the text of `input` to `out`; `last` says the file ends with
    /// it. Returns whether some bytes were no text in the encoding (only
    /// possible in UTF-16: a lone surrogate, or an odd byte at the end);
    /// they are written as U+FFFD, as encoding_rs does.
    pub(super) fn decode(&mut self, input: &[u8], out: &mut String, last: bool) -> bool {
        match self {
            Decoder::Windows1252 => {
                out.extend(input.iter().map(|&b| match b {
                    0x80..=0x9F => WINDOWS_1252_80_9F[usize::from(b - 0x80)],
                    _ => char::from(b),
                }));
                false
            }
            Decoder::Latin9 => {
                out.extend(input.iter().map(|&b| latin_9(b)));
                false
            }
            Decoder::Utf16 { big_endian, odd, high } => {
                let mut malformed = false;
                let mut bytes = input.iter().copied();
                while let Some(first) = odd.take().or_else(|| bytes.next()) {
                    let Some(second) = bytes.next() else {
                        *odd = Some(first);
                        break;
                    };
                    let pair = [first, second];
                    let unit = if *big_endian { u16::from_be_bytes(pair) } else { u16::from_le_bytes(pair) };
                    malformed |= utf16_unit(unit, high, out);
                }
                if last && (odd.take().is_some() || high.take().is_some()) {
                    out.push(char::REPLACEMENT_CHARACTER);
                    malformed = true;
                }
                malformed
            }
        }
    }
}

/// Decodes one UTF-16 code unit into `out`, pairing surrogates through
/// `high`; whether it (or the surrogate before it) was malformed.
fn utf16_unit(unit: u16, high: &mut Option<u16>, out: &mut String) -> bool {
    let mut malformed = false;
    if let Some(lead) = high.take() {
        if (0xDC00..0xE000).contains(&unit) {
            let code = 0x10000 + ((u32::from(lead) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
            out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            return false;
        }
        out.push(char::REPLACEMENT_CHARACTER);
        malformed = true;
    }
    match unit {
        0xD800..0xDC00 => *high = Some(unit),
        0xDC00..0xE000 => {
            out.push(char::REPLACEMENT_CHARACTER);
            malformed = true;
        }
        _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
    }
    malformed
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Decodes `body` cut into pieces of `piece` bytes, with ours and with
    /// encoding_rs's, the UTF-16 byte order read from `first`: the text,
    /// and whether any piece was malformed.
    fn both(encoding: TextEncoding, first: &[u8], body: &[u8], piece: usize) -> ((String, bool), (String, bool)) {
        let theirs_encoding = match encoding {
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
            TextEncoding::Iso8859_15 => encoding_rs::ISO_8859_15,
            TextEncoding::Utf16 if matches!(first, [0xFE, 0xFF, ..]) => encoding_rs::UTF_16BE,
            TextEncoding::Utf16 => encoding_rs::UTF_16LE,
            TextEncoding::Utf8 => unreachable!("UTF-8 is not decoded"),
        };
        let mut ours = Decoder::new(encoding, first).expect("a decoder");
        let mut theirs = theirs_encoding.new_decoder_without_bom_handling();
        let (mut ours_text, mut theirs_text) = (String::new(), String::new());
        let (mut ours_bad, mut theirs_bad) = (false, false);
        let pieces: Vec<&[u8]> = if body.is_empty() { vec![&[]] } else { body.chunks(piece).collect() };
        for (i, input) in pieces.iter().enumerate() {
            let last = i + 1 == pieces.len();
            ours_bad |= ours.decode(input, &mut ours_text, last);
            // encoding_rs writes only into the room the string has.
            theirs_text.reserve(theirs.max_utf8_buffer_length(input.len()).expect("a length"));
            let (_, _, bad) = theirs.decode_to_string(input, &mut theirs_text, last);
            theirs_bad |= bad;
        }
        ((ours_text, ours_bad), (theirs_text, theirs_bad))
    }

    #[test]
    fn every_byte_reads_as_encoding_rs_reads_it() {
        let all: Vec<u8> = (0..=255).collect();
        for encoding in [TextEncoding::Windows1252, TextEncoding::Iso8859_15] {
            let (ours, theirs) = both(encoding, &all, &all, 7);
            assert_eq!(ours, theirs, "{encoding:?}");
            assert!(!ours.1);
        }
    }

    #[test]
    fn utf16_reads_as_encoding_rs_reads_it_however_it_is_cut() {
        let mut rng = ChaCha8Rng::seed_from_u64(16);
        // Units drawn where the cases are: ASCII, NUL, surrogates of either
        // kind, the rest of the plane; odd lengths leave a byte at the end.
        let unit = |rng: &mut ChaCha8Rng| -> u16 {
            match rng.random_range(0..5) {
                0 => rng.random_range(0..0x80),
                1 => rng.random_range(0xD800..0xDC00),
                2 => rng.random_range(0xDC00..0xE000),
                3 => rng.random_range(0xE000..=0xFFFF),
                _ => rng.random_range(0x80..0xD800),
            }
        };
        let mut malformed = 0;
        for case in 0..4000 {
            let units: Vec<u16> = (0..rng.random_range(0..12)).map(|_| unit(&mut rng)).collect();
            let big_endian = case % 2 == 0;
            let mut bytes: Vec<u8> = if big_endian { vec![0xFE, 0xFF] } else { vec![] };
            bytes.extend(units.iter().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }));
            if case % 3 == 0 {
                bytes.push(rng.random());
            }
            // The caller drops the BOM; the decoder only reads the order from it.
            let body = if big_endian { &bytes[2..] } else { &bytes[..] };
            for piece in [1, 2, 3, 5, 64] {
                let (ours, theirs) = both(TextEncoding::Utf16, &bytes, body, piece);
                assert_eq!(ours, theirs, "{bytes:02X?} in {piece}-byte pieces");
                malformed += usize::from(ours.1);
            }
        }
        assert!(malformed > 1000, "only {malformed} malformed cases: the generator tests little");
    }
}
