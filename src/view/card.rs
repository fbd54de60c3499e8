//! The citation card as the page shows it: every link built here from a validated identifier.

use serde::Serialize;
use serde_json::Value;

use crate::links;
use crate::model::{Citation, Name};

#[derive(Debug, Default, Serialize)]
pub struct Card {
    pub title: Option<String>,
    pub kind: Option<String>,
    pub authors: Vec<Author>,
    /// `Journal, 55(7), 1469–1472`: what stands under the title.
    pub source: Option<String>,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub publisher: Option<String>,
    pub doi: Option<Identifier>,
    pub pmid: Option<Identifier>,
    pub pmcid: Option<Identifier>,
    pub issn: Option<String>,
    pub keywords: Vec<String>,
    pub license: Option<Identifier>,
    pub funding: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Author {
    pub name: String,
    pub orcid: Option<Identifier>,
    pub affiliations: Vec<String>,
    pub email: Option<String>,
}

/// An identifier as printed, and its https link when it is valid.
#[derive(Debug, Default, Serialize)]
pub struct Identifier {
    pub text: String,
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Reference {
    /// The number the document gives it, from 1.
    pub number: usize,
    pub card: Card,
    /// The reference's text as printed, when the source gave it.
    pub text: Option<String>,
    /// The loaded document this reference is, found by its DOI (set by the corpus).
    pub document: Option<usize>,
}

pub fn display_name(name: &Name) -> String {
    if let Some(literal) = &name.literal {
        return literal.clone();
    }
    let family = [name.non_dropping_particle.as_deref(), name.family.as_deref()].into_iter().flatten();
    let parts: Vec<&str> =
        name.given.as_deref().into_iter().chain(name.dropping_particle.as_deref()).chain(family).collect();
    let mut text = parts.join(" ");
    if let Some(suffix) = &name.suffix {
        text.push_str(", ");
        text.push_str(suffix);
    }
    text
}

pub fn card(citation: &Citation) -> Card {
    let c = citation;
    let year = c.issued.as_ref().and_then(|d| d.year());
    let date = c.issued.as_ref().and_then(|d| {
        let parts = d.date_parts.first()?;
        Some(parts.iter().map(|p| format!("{p:02}")).collect::<Vec<_>>().join("-"))
    });
    let volume_issue = match (&c.volume, &c.issue) {
        (Some(v), Some(i)) => Some(format!("{v}({i})")),
        (Some(v), None) => Some(v.clone()),
        (None, Some(i)) => Some(format!("({i})")),
        (None, None) => None,
    };
    let source: Vec<String> = [c.container_title.clone(), volume_issue, c.page.clone()].into_iter().flatten().collect();
    let keywords = c
        .keyword
        .as_deref()
        .map(|k| k.split([',', ';']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    let license = c.license.as_ref().map(|text| Identifier {
        text: text.clone(),
        url: text.starts_with("https://").then(|| text.clone()).filter(|u| !u.contains(char::is_whitespace)),
    });
    Card {
        title: c.title.clone(),
        kind: c.kind.clone(),
        authors: c.author.iter().map(author).collect(),
        source: (!source.is_empty()).then(|| source.join(", ")),
        year,
        date,
        publisher: c.publisher.clone(),
        doi: c.doi.as_ref().map(|d| Identifier { text: d.clone(), url: links::doi(d) }),
        pmid: c.pmid.as_ref().map(|p| Identifier { text: p.clone(), url: links::pubmed(p) }),
        pmcid: c.pmcid.as_ref().map(|p| Identifier { text: p.clone(), url: links::pmc(p) }),
        issn: c.issn.clone(),
        keywords,
        license,
        funding: funding(c.custom.get("funding")),
    }
}

fn author(name: &Name) -> Author {
    Author {
        name: display_name(name),
        orcid: name.orcid.as_ref().map(|o| {
            let url = crate::ids::orcid(o);
            Identifier { text: url.as_deref().and_then(|u| u.rsplit('/').next()).unwrap_or(o).to_string(), url }
        }),
        affiliations: name.affiliation.iter().map(|a| a.name.clone()).collect(),
        email: name.email.clone(),
    }
}

/// `custom.funding`: a list of `{funder, award}` objects or of strings, or one string.
fn funding(value: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let funder = o.get("funder").and_then(Value::as_str);
            let award = o.get("award").and_then(Value::as_str);
            match (funder, award) {
                (Some(f), Some(a)) => Some(format!("{f} ({a})")),
                (Some(f), None) => Some(f.to_string()),
                (None, Some(a)) => Some(a.to_string()),
                (None, None) => None,
            }
        }
        _ => None,
    };
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

pub fn references(references: &[Citation]) -> Vec<Reference> {
    references
        .iter()
        .enumerate()
        .map(|(i, c)| Reference { number: i + 1, card: card(c), text: c.note.clone(), document: None })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Affiliation, DateParts};

    #[test]
    fn builds_links_only_from_valid_ids() {
        let citation = Citation {
            title: Some("T".into()),
            author: vec![Name {
                family: Some("Vavilova".into()),
                given: Some("L. A.".into()),
                orcid: Some("https://orcid.org/0000-0001-7959-3512".into()),
                affiliation: vec![Affiliation { name: "Center".into() }],
                ..Name::default()
            }],
            container_title: Some("Blood".into()),
            volume: Some("109".into()),
            issue: Some("3".into()),
            page: Some("944-950".into()),
            issued: Some(DateParts::ymd(2007, Some(2), None)),
            doi: Some("10.1182/blood-2006-05-018192".into()),
            pmid: Some("12x".into()),
            keyword: Some("a; b, c".into()),
            license: Some("javascript:alert(1)".into()),
            ..Citation::default()
        };
        let card = card(&citation);
        assert_eq!(card.authors[0].name, "L. A. Vavilova");
        assert_eq!(card.authors[0].orcid.as_ref().unwrap().text, "0000-0001-7959-3512");
        assert_eq!(card.source.as_deref(), Some("Blood, 109(3), 944-950"));
        assert_eq!(card.date.as_deref(), Some("2007-02"));
        assert_eq!(card.doi.unwrap().url.as_deref(), Some("https://doi.org/10.1182/blood-2006-05-018192"));
        assert_eq!(card.pmid.unwrap().url, None);
        assert_eq!(card.keywords, ["a", "b", "c"]);
        assert_eq!(card.license.unwrap().url, None);
    }
}
