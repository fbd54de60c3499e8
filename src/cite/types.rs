//! The vocabularies bibliographic formats use for the kind of a work, mapped to CSL's types, and
//! the month names they write. One table per format serves both reading and writing.

/// RIS reference types (RIS specification, 2011) and the CSL type each means. The first row for
/// a CSL type is the one written back.
const RIS: &[(&str, &str)] = &[
    ("JOUR", "article-journal"),
    ("JFULL", "article-journal"),
    ("EJOUR", "article-journal"),
    ("INPR", "article-journal"),
    ("ABST", "article-journal"),
    ("MGZN", "article-magazine"),
    ("NEWS", "article-newspaper"),
    ("PRESS", "article-newspaper"),
    ("BOOK", "book"),
    ("EBOOK", "book"),
    ("EDBOOK", "book"),
    ("SER", "book"),
    ("CHAP", "chapter"),
    ("ECHAP", "chapter"),
    ("CPAPER", "paper-conference"),
    ("CONF", "paper-conference"),
    ("THES", "thesis"),
    ("RPRT", "report"),
    ("GOVDOC", "report"),
    ("ELEC", "webpage"),
    ("WEB", "webpage"),
    ("BLOG", "post-weblog"),
    ("DATA", "dataset"),
    ("DBASE", "dataset"),
    ("PAT", "patent"),
    ("UNPB", "manuscript"),
    ("MANSCPT", "manuscript"),
    ("COMP", "software"),
    ("PCOMM", "personal_communication"),
    ("ICOMM", "personal_communication"),
    ("DICT", "entry-dictionary"),
    ("ENCYC", "entry-encyclopedia"),
    ("MAP", "map"),
    ("ART", "graphic"),
    ("FIGURE", "figure"),
    ("VIDEO", "motion_picture"),
    ("MPCT", "motion_picture"),
    ("SOUND", "song"),
    ("MUSIC", "musical_score"),
    ("STAT", "legislation"),
    ("BILL", "bill"),
    ("CASE", "legal_case"),
    ("HEAR", "hearing"),
    ("STAND", "standard"),
    ("GEN", "document"),
];

/// BibTeX and BibLaTeX entry types and their CSL types; the first row for a CSL type is written.
const BIBTEX: &[(&str, &str)] = &[
    ("article", "article-journal"),
    ("book", "book"),
    ("mvbook", "book"),
    ("proceedings", "book"),
    ("collection", "book"),
    ("booklet", "pamphlet"),
    ("incollection", "chapter"),
    ("inbook", "chapter"),
    ("inproceedings", "paper-conference"),
    ("conference", "paper-conference"),
    ("phdthesis", "thesis"),
    ("mastersthesis", "thesis"),
    ("thesis", "thesis"),
    ("techreport", "report"),
    ("report", "report"),
    ("manual", "report"),
    ("online", "webpage"),
    ("electronic", "webpage"),
    ("www", "webpage"),
    ("unpublished", "manuscript"),
    ("patent", "patent"),
    ("dataset", "dataset"),
    ("software", "software"),
    ("misc", "document"),
];

/// The CSL type of a RIS `TY` value. Exports also write names (`Journal Article`); those that
/// say what they are map too, the rest are `document`.
pub fn from_ris(ty: &str) -> &'static str {
    let ty = ty.trim();
    if let Some((_, csl)) = RIS.iter().find(|(ris, _)| ris.eq_ignore_ascii_case(ty)) {
        return csl;
    }
    from_words(ty)
}

pub fn to_ris(csl: Option<&str>) -> &'static str {
    let csl = csl.unwrap_or("document");
    RIS.iter().find(|(_, c)| *c == csl).map_or("GEN", |(ris, _)| ris)
}

pub fn from_bibtex(entry_type: &str) -> &'static str {
    let entry_type = entry_type.trim();
    BIBTEX.iter().find(|(b, _)| b.eq_ignore_ascii_case(entry_type)).map_or("document", |(_, csl)| csl)
}

pub fn to_bibtex(csl: Option<&str>) -> &'static str {
    let csl = csl.unwrap_or("document");
    match csl {
        "article-magazine" | "article-newspaper" | "article" | "review" => "article",
        "entry-dictionary" | "entry-encyclopedia" => "incollection",
        _ => BIBTEX.iter().find(|(_, c)| *c == csl).map_or("misc", |(b, _)| b),
    }
}

/// Crossref's work types (`journal-article`) and MEDLINE's publication types, which are words.
pub fn from_words(kind: &str) -> &'static str {
    let kind = kind.trim().to_ascii_lowercase();
    let has = |word: &str| kind.contains(word);
    if CSL_TYPES.contains(&kind.as_str()) {
        return CSL_TYPES.iter().find(|t| **t == kind).copied().unwrap_or("document");
    }
    match () {
        _ if has("chapter") || has("book-section") || has("book part") => "chapter",
        _ if has("proceedings") || has("conference") => "paper-conference",
        _ if has("dissertation") || has("thesis") => "thesis",
        _ if has("book") || has("monograph") => "book",
        // MEDLINE's "Case Reports", "Comment", "Clinical Trial" are kinds of journal article.
        _ if has("journal")
            || has("article")
            || has("review")
            || has("letter")
            || has("editorial")
            || has("case report")
            || has("comment")
            || has("clinical trial")
            || has("meta-analysis") =>
        {
            if has("posted") || has("preprint") {
                "article"
            } else {
                "article-journal"
            }
        }
        _ if has("posted") || has("preprint") => "article",
        _ if has("report") => "report",
        _ if has("dataset") || has("data set") => "dataset",
        _ if has("web") => "webpage",
        _ if has("patent") => "patent",
        _ => "document",
    }
}

/// CSL 1.0.2's item types.
const CSL_TYPES: &[&str] = &[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
];

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month from its number, English name or abbreviation (`3`, `Mar`, `march`, `Mar.`).
pub fn month(text: &str) -> Option<u32> {
    let text = text.trim().trim_end_matches('.');
    if let Ok(n) = text.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = text.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|name| name.to_ascii_lowercase().starts_with(&lower)).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_types_both_ways() {
        assert_eq!(from_ris("JOUR"), "article-journal");
        assert_eq!(from_ris("Journal Article"), "article-journal");
        assert_eq!(from_ris("CHAP"), "chapter");
        assert_eq!(to_ris(Some("article-journal")), "JOUR");
        assert_eq!(to_ris(Some("book")), "BOOK");
        assert_eq!(from_bibtex("ARTICLE"), "article-journal");
        assert_eq!(to_bibtex(Some("paper-conference")), "inproceedings");
        assert_eq!(from_words("journal-article"), "article-journal");
        assert_eq!(from_words("posted-content"), "article");
    }

    #[test]
    fn reads_months() {
        assert_eq!(month("Apr"), Some(4));
        assert_eq!(month("september"), Some(9));
        assert_eq!(month("Sept."), Some(9));
        assert_eq!(month("12"), Some(12));
        assert_eq!(month("13"), None);
        assert_eq!(month("Spring"), None);
    }
}
