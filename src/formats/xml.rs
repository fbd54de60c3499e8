//! What the XML readers (BioC, JATS, PubMed) share: the text of entity references.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::BytesRef;

use crate::model::Diagnostic;

/// Entity references of one file; each undefined one is reported once per file.
#[derive(Default)]
pub struct Entities {
    undefined: usize,
}

impl Entities {
    /// The text `&name;` stands for: a character reference, one of XML's five entities, or a
    /// common HTML name that article XML uses without declaring it (`&nbsp;`, `&ndash;`). An
    /// entity nobody defines is kept as written, and the first one in the file is reported.
    pub fn resolve(
        &mut self,
        reference: &BytesRef,
        file: &str,
        line: u32,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> String {
        let name = String::from_utf8_lossy(reference);
        match (reference.resolve_char_ref(), resolve_predefined_entity(&name).or_else(|| named_character(&name))) {
            (Ok(Some(c)), _) => c.to_string(),
            (_, Some(replacement)) => replacement.to_string(),
            _ => {
                self.undefined += 1;
                if self.undefined == 1 {
                    diagnostics.push(Diagnostic::warning(
                        file,
                        Some(line),
                        format!("the entity &{name}; is not defined; it is kept as written"),
                    ));
                }
                format!("&{name};")
            }
        }
    }
}

/// JATS files use HTML's named characters through the DTD; these are the common ones.
fn named_character(name: &str) -> Option<&'static str> {
    Some(match name {
        "nbsp" => "\u{a0}",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "thinsp" => "\u{2009}",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "times" => "×",
        "plusmn" => "±",
        "deg" => "°",
        "micro" => "µ",
        "copy" => "©",
        _ => return None,
    })
}
