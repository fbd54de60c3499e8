//! Which format a file is in: the user's choice first, then the content, then the file name.
//! Content comes before the name because names lie: a `.txt` can be PubTator, brat text or a page.

use crate::formats::{self, Format, FORMATS};

/// What detection decided, and whether it is sure.
pub struct Detection {
    pub format: &'static Format,
    /// False when nothing recognised the file and it falls back to plain text.
    pub recognised: bool,
}

/// Scores below this are guesses; a name that matches then breaks the tie.
const SURE: u8 = 50;

pub fn detect(file_name: &str, text: &str) -> Detection {
    let extension = extension(file_name);
    let by_name = |format: &&Format| extension.as_deref().is_some_and(|ext| format.extensions.contains(&ext));
    let mut best: Option<(u8, bool, &'static Format)> = None;
    for format in FORMATS {
        let score = (format.sniff)(text);
        if score == 0 {
            continue;
        }
        let named = by_name(&format);
        if best.is_none_or(|(s, n, _)| (score, named) > (s, n)) {
            best = Some((score, named, format));
        }
    }
    match best {
        Some((score, named, format)) if score >= SURE || named => Detection { format, recognised: true },
        _ => match FORMATS.iter().find(by_name) {
            Some(format) => Detection { format, recognised: true },
            None => Detection { format: &formats::plain::FORMAT, recognised: false },
        },
    }
}

fn extension(file_name: &str) -> Option<String> {
    let (_, ext) = file_name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_wins_over_the_name() {
        let pubtator = "123|t|A title\n123|a|An abstract\n123\t0\t1\tA\tX\tY\n";
        assert_eq!(detect("notes.txt", pubtator).format.id, "pubtator");
        assert_eq!(detect("whatever", pubtator).format.id, "pubtator");
    }

    #[test]
    fn unknown_text_is_plain() {
        let detection = detect("notes.txt", "Just some words.\n");
        assert_eq!(detection.format.id, "text");
        assert!(!detection.recognised);
    }
}
