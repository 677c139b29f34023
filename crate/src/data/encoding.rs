//! Which text encoding a file's bytes are read in. UTF-8 is the default; a
//! file that is not UTF-8 and holds no NUL byte is most likely what Windows
//! Excel's plain "CSV (Comma delimited)" writes, Windows-1252, and is read as
//! such with a note and a sample of its accented words, so the person can see
//! at once whether "José" came out right and pick another encoding if not.

use serde::{Deserialize, Serialize};

/// The encodings a person can pick for a file, each decoded by
/// the reader's own decoder with the WHATWG's mapping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextEncoding {
    #[default]
    Utf8,
    /// Western Windows ("ANSI"): Latin-1 plus € and typographic quotes in 0x80–0x9F.
    Windows1252,
    /// Latin-9: Latin-1 with € and a few French and Finnish letters.
    Iso8859_15,
    /// Both byte orders: the BOM decides, little-endian (Windows') without one.
    Utf16,
}

impl TextEncoding {
    /// In the order the page lists them.
    pub const ALL: [TextEncoding; 4] =
        [TextEncoding::Utf8, TextEncoding::Windows1252, TextEncoding::Iso8859_15, TextEncoding::Utf16];

    /// The name people know it by, as the page shows it.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Windows1252 => "Windows-1252",
            TextEncoding::Iso8859_15 => "ISO-8859-15",
            TextEncoding::Utf16 => "UTF-16",
        }
    }

    /// The encoding whose [`label`](Self::label) this is.
    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.label() == label)
    }
}

/// How a file's text was read, for the person to check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decoding {
    pub encoding: TextEncoding,
    /// Picked by the person rather than found from the bytes.
    pub chosen: bool,
    /// The first few distinct words with a letter outside ASCII, as read: where
    /// a wrong encoding shows ("JosÃ©", "Jos\u{FFFD}"). Empty for ASCII text,
    /// which every encoding here reads alike.
    pub samples: Vec<String>,
}

impl Decoding {
    /// Whether the encoding makes a difference the person should see: text
    /// outside ASCII, or an encoding other than UTF-8.
    pub fn worth_checking(&self) -> bool {
        !self.samples.is_empty() || self.encoding != TextEncoding::Utf8
    }

    /// The sentence for the data summary, when there is something to say: a
    /// guessed or chosen encoding, with what it made of the accented words.
    pub fn note(&self) -> Option<String> {
        let mut note = match (self.encoding, self.chosen) {
            (TextEncoding::Utf8, false) => return None,
            (TextEncoding::Utf16, false) => "The file is UTF-16 text; it was decoded and read.".to_string(),
            (_, false) => format!(
                "The file is not UTF-8, so it was read as {} (what Excel's \"CSV (Comma delimited)\" writes).",
                self.encoding.label()
            ),
            (_, true) => format!("Read as {}, as chosen.", self.encoding.label()),
        };
        if !self.samples.is_empty() {
            note.push_str(&format!(" Accented words as read: {}.", self.samples.join(", ")));
            if self.encoding != TextEncoding::Utf16 || self.chosen {
                note.push_str(" If they look wrong, pick the file's encoding.");
            }
        }
        Some(note)
    }
}

/// Words quoted in [`Decoding::samples`] at most, and how long each may be.
const SAMPLES: usize = 5;
const SAMPLE_CHARS: usize = 24;

pub(super) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Ends a word in [`Samples`].
fn separator(c: char) -> bool {
    c.is_ascii() && !c.is_ascii_alphanumeric()
}

/// The first [`SAMPLES`] distinct words holding a character outside ASCII,
/// of a text read piece by piece. A word runs between ASCII characters that
/// are not letters or digits, so a wrongly decoded "JosÃ©" stays one word, as
/// the person would read it; the word a piece ends in is carried over to the
/// next, so the words are those of the whole text however it is cut.
#[derive(Debug, Default)]
pub(super) struct Samples {
    words: Vec<String>,
    /// The text since the last separator.
    carry: String,
}

impl Samples {
    pub(super) fn feed(&mut self, piece: &str) {
        if self.words.len() == SAMPLES {
            return;
        }
        let Some(last) = piece.rfind(separator) else {
            self.carry.push_str(piece);
            return;
        };
        // `piece[..last]` ends the carried word at its first separator.
        let first_end = piece.find(separator).unwrap_or(last);
        self.carry.push_str(&piece[..first_end]);
        let carried = std::mem::take(&mut self.carry);
        self.take(&carried);
        self.take(&piece[first_end..last]);
        // Separators are ASCII: one byte.
        self.carry.push_str(&piece[last + 1..]);
    }

    /// The words, once the text has ended.
    pub(super) fn finish(mut self) -> Vec<String> {
        let carried = std::mem::take(&mut self.carry);
        self.take(&carried);
        self.words
    }

    fn take(&mut self, text: &str) {
        if text.is_ascii() {
            return;
        }
        for word in text.split(separator).filter(|w| !w.is_ascii()) {
            if self.words.len() == SAMPLES {
                return;
            }
            let word: String = word.chars().take(SAMPLE_CHARS).collect();
            if !self.words.contains(&word) {
                self.words.push(word);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataError;

    fn decode(bytes: &[u8], choice: Option<TextEncoding>) -> Result<(String, Decoding), DataError> {
        super::super::source::decode_whole(bytes, choice)
    }

    fn read(bytes: &[u8], choice: Option<TextEncoding>) -> (String, Decoding) {
        decode(bytes, choice).unwrap()
    }

    #[test]
    fn utf8_is_read_as_is_and_says_nothing() {
        let (text, decoding) = read("\u{FEFF}name\nJosé\n".as_bytes(), None);
        assert_eq!(text, "name\nJosé\n");
        assert_eq!(decoding, Decoding { encoding: TextEncoding::Utf8, chosen: false, samples: vec!["José".into()] });
        assert_eq!(decoding.note(), None);
        assert!(decoding.worth_checking(), "accents: the page offers the encodings");
        let ascii = read(b"a,b\n1,2\n", None).1;
        assert_eq!(ascii.samples, Vec::<String>::new());
        assert!(!ascii.worth_checking(), "ASCII reads alike in every encoding");
    }

    #[test]
    fn bytes_not_utf8_are_read_as_windows_1252_with_the_words_to_check() {
        // é is 0xE9 and € is 0x80 in Windows-1252; "Müller" has ü = 0xFC.
        let bytes = b"name,price\nJos\xE9,\x80 5\nM\xFCller,7\nJos\xE9,8\n";
        let (text, decoding) = read(bytes, None);
        assert_eq!(text, "name,price\nJosé,€ 5\nMüller,7\nJosé,8\n");
        assert_eq!(decoding.encoding, TextEncoding::Windows1252);
        assert!(!decoding.chosen);
        assert_eq!(decoding.samples, ["José", "€", "Müller"], "distinct, in order");
        let note = decoding.note().unwrap();
        assert!(note.starts_with("The file is not UTF-8, so it was read as Windows-1252"), "{note}");
        assert!(
            note.ends_with(" Accented words as read: José, €, Müller. If they look wrong, pick the file's encoding."),
            "{note}"
        );
    }

    #[test]
    fn iso_8859_15_differs_from_1252_where_it_should() {
        // 0xA4 is € in Latin-9 and ¤ in Windows-1252; 0x80 is a control character in Latin-9.
        assert_eq!(read(b"a\n\xA4\n", Some(TextEncoding::Iso8859_15)).0, "a\n€\n");
        assert_eq!(read(b"a\n\xA4\n", Some(TextEncoding::Windows1252)).0, "a\n¤\n");
        let (_, chosen) = read(b"a\nJos\xE9\n", Some(TextEncoding::Iso8859_15));
        assert_eq!(
            chosen.note().unwrap(),
            "Read as ISO-8859-15, as chosen. Accented words as read: José. If they look wrong, pick the file's encoding."
        );
    }

    #[test]
    fn utf8_read_as_windows_1252_shows_the_damage() {
        let (_, decoding) = read("a\nJosé\n".as_bytes(), Some(TextEncoding::Windows1252));
        assert_eq!(decoding.samples, ["JosÃ©"]);
    }

    #[test]
    fn utf16_with_its_bom_either_way_and_without_one_when_chosen() {
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("a\nJosé\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("a\nJosé\n".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for bytes in [&le, &be] {
            let (text, decoding) = read(bytes, None);
            assert_eq!((text.as_str(), decoding.encoding), ("a\nJosé\n", TextEncoding::Utf16));
            assert!(decoding.note().unwrap().starts_with("The file is UTF-16 text"));
        }
        assert_eq!(read(&le[2..], Some(TextEncoding::Utf16)).0, "a\nJosé\n", "no BOM: little-endian");
    }

    #[test]
    fn what_a_chosen_encoding_cannot_read_is_refused() {
        assert_eq!(decode(b"a\nJos\xE9\n", Some(TextEncoding::Utf8)), Err(DataError::NotUtf8 { line: 2, byte_offset: 5 }));
        assert_eq!(decode(b"a\n\x00b\n", None), Err(DataError::NotText), "a NUL byte is not Windows-1252 text");
        assert_eq!(decode(b"a\n\x00b\n", Some(TextEncoding::Iso8859_15)), Err(DataError::NotText));
        assert_eq!(decode(b"a\x00\x00\xD8", Some(TextEncoding::Utf16)), Err(DataError::Utf16), "a lone surrogate");
    }

    #[test]
    fn labels_name_each_encoding_once() {
        for encoding in TextEncoding::ALL {
            assert_eq!(TextEncoding::from_label(encoding.label()), Some(encoding));
        }
        assert_eq!(TextEncoding::from_label("latin-1"), None);
    }
}
