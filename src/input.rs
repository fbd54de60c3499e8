//! Bytes to text, once, at the edge: byte-order marks, UTF-16, legacy 8-bit encodings, binary
//! files and size limits are settled here so that every parser sees clean `&str`.

use std::borrow::Cow;

use crate::model::Diagnostic;

/// The largest file litview reads. Bigger files get an error diagnostic, not a crash: the page
/// holds the text in memory, and a browser tab has a few gigabytes at most.
pub const MAX_FILE_BYTES: usize = 1 << 30;

/// A file as the user gave it.
#[derive(Clone, Copy, Debug)]
pub struct InputFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// The file's text, and what a person should know about how it was read.
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes a file to text, or says in one error why it cannot be read as text.
pub fn decode<'a>(file: &InputFile<'a>) -> Result<Decoded<'a>, Diagnostic> {
    let name = file.name;
    let bytes = file.bytes;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            name,
            None,
            format!(
                "the file is {} MB; litview reads files up to {} MB. Split it into smaller files.",
                bytes.len() >> 20,
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    let mut diagnostics = Vec::new();
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(name, rest, diagnostics);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok(Decoded { text: Cow::Owned(utf16(name, rest, u16::from_le_bytes, &mut diagnostics)), diagnostics });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok(Decoded { text: Cow::Owned(utf16(name, rest, u16::from_be_bytes, &mut diagnostics)), diagnostics });
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(Diagnostic::error(name, None, format!("this is {kind}, not a text file litview can read")));
    }
    if let Some(little_endian) = utf16_without_bom(bytes) {
        diagnostics.push(Diagnostic::warning(
            name,
            None,
            "the file is UTF-16 without a byte-order mark; read as UTF-16",
        ));
        let text = if little_endian {
            utf16(name, bytes, u16::from_le_bytes, &mut diagnostics)
        } else {
            utf16(name, bytes, u16::from_be_bytes, &mut diagnostics)
        };
        return Ok(Decoded { text: Cow::Owned(text), diagnostics });
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(Diagnostic::error(name, None, "the file holds binary data (NUL bytes), not text"));
    }
    utf8(name, bytes, diagnostics)
}

fn utf8<'a>(name: &str, bytes: &'a [u8], mut diagnostics: Vec<Diagnostic>) -> Result<Decoded<'a>, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text: Cow::Borrowed(text), diagnostics }),
        Err(error) => {
            // Not UTF-8: most often a file saved by an old Windows tool. Windows-1252 maps every
            // byte to a character, so nothing is lost, and offsets count those characters.
            let at = error.valid_up_to();
            let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count() as u32;
            diagnostics.push(Diagnostic::warning(
                name,
                Some(line),
                format!(
                    "the file is not UTF-8 (byte 0x{:02X} at line {line}); read as Windows-1252 (Latin-1). \
                     Save it as UTF-8 if characters look wrong.",
                    bytes[at]
                ),
            ));
            Ok(Decoded { text: Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()), diagnostics })
        }
    }
}

fn utf16(name: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16, diagnostics: &mut Vec<Diagnostic>) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut bad = 0usize;
    let text = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                bad += 1;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if bad > 0 || bytes.len() % 2 == 1 {
        diagnostics.push(Diagnostic::warning(
            name,
            None,
            format!("the UTF-16 text is damaged ({bad} unpaired surrogates); those characters show as \u{FFFD}"),
        ));
    }
    text
}

/// UTF-16 text without a byte-order mark shows as ASCII with every other byte zero.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let zero_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    // A few zeros on the other side are characters beyond ASCII, not binary: 😀 is D83D DE00,
    // 一 is 4E00.
    if zero_odd * 10 >= pairs * 9 && zero_even * 20 < pairs {
        Some(true)
    } else if zero_even * 10 >= pairs * 9 && zero_odd * 20 < pairs {
        Some(false)
    } else {
        None
    }
}

/// Names common binary files by their magic numbers, so the message says what was dropped.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"%PDF-", "a PDF document (litview reads text exports, not PDF)"),
        (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file); unpack it and drop the files inside"),
        (b"\x1f\x8b", "a gzip archive; unpack it and drop the file inside"),
        (b"\xD0\xCF\x11\xE0", "an old Microsoft Office document"),
        (b"\0asm", "a WebAssembly module"),
        (b"\x7FELF", "a program (ELF executable)"),
    ];
    MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|&(_, kind)| kind)
}

/// Windows-1252: Latin-1 with printable characters in 0x80–0x9F.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[(byte - 0x80) as usize],
        _ => byte as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<String, Diagnostic> {
        decode(&InputFile { name: "f.txt", bytes }).map(|d| d.text.into_owned())
    }

    #[test]
    fn strips_a_utf8_bom() {
        assert_eq!(read(b"\xEF\xBB\xBFabc").unwrap(), "abc");
    }

    #[test]
    fn reads_utf16_with_and_without_bom() {
        assert_eq!(read(b"\xFF\xFEa\0\xe9\0").unwrap(), "aé");
        assert_eq!(read(b"\xFE\xFF\0a\0b").unwrap(), "ab");
        assert_eq!(read(b"a\0b\0c\0d\0").unwrap(), "abcd");
    }

    #[test]
    fn reads_latin1_with_a_warning() {
        let decoded = decode(&InputFile { name: "f.txt", bytes: b"caf\xe9\n\x93x\x94" }).unwrap();
        assert_eq!(decoded.text, "café\n“x”");
        assert_eq!(decoded.diagnostics.len(), 1);
        assert!(decoded.diagnostics[0].message.contains("not UTF-8"));
    }

    #[test]
    fn names_binary_files() {
        let error = read(b"\x89PNG\r\n\x1a\n\0\0\0").unwrap_err();
        assert!(error.message.contains("PNG image"), "{}", error.message);
        assert!(read(b"PK\x03\x04zip").unwrap_err().message.contains("ZIP"));
        assert!(read(b"ab\0\x01\x02cd\0\0\x07").unwrap_err().message.contains("binary"));
    }
}
