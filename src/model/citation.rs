//! The work a document describes, as a CSL-JSON item: the Citation Style Language's data format,
//! which Zotero, pandoc and citation.js read. A field the input does not give stays absent.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_string")]
    pub id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<Name>,
    #[serde(rename = "container-title", default, skip_serializing_if = "Option::is_none")]
    pub container_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_string")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_string")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_string")]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<DateParts>,
    #[serde(rename = "DOI", default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(rename = "PMID", default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_string")]
    pub pmid: Option<String>,
    #[serde(rename = "PMCID", default, skip_serializing_if = "Option::is_none")]
    pub pmcid: Option<String>,
    #[serde(rename = "ISSN", default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_string")]
    pub issn: Option<String>,
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Comma-separated, as CSL-JSON has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    #[serde(rename = "abstract", default, skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// For a reference that could only partly be parsed: its whole original text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What litview adds beyond CSL-JSON (funding, keywords split, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, Value>,
    /// Every other CSL-JSON field the input carries, kept so that nothing is lost.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl Citation {
    pub fn is_empty(&self) -> bool {
        *self == Citation::default()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Name {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// A group or a name that does not split into family and given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
    #[serde(rename = "non-dropping-particle", default, skip_serializing_if = "Option::is_none")]
    pub non_dropping_particle: Option<String>,
    #[serde(rename = "dropping-particle", default, skip_serializing_if = "Option::is_none")]
    pub dropping_particle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// As Crossref gives it: `https://orcid.org/0000-0001-7959-3512`.
    #[serde(rename = "ORCID", default, skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliation: Vec<Affiliation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Affiliation {
    pub name: String,
}

/// CSL-JSON's date: `{"date-parts": [[2024, 4, 1]]}`, or a `raw`/`literal` string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DateParts {
    #[serde(
        rename = "date-parts",
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_date_parts"
    )]
    pub date_parts: Vec<Vec<i32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl DateParts {
    pub fn ymd(year: i32, month: Option<u32>, day: Option<u32>) -> Self {
        let mut parts = vec![year];
        if let Some(month) = month {
            parts.push(month as i32);
            if let Some(day) = day {
                parts.push(day as i32);
            }
        }
        DateParts { date_parts: vec![parts], ..DateParts::default() }
    }

    pub fn year(&self) -> Option<i32> {
        self.date_parts.first().and_then(|parts| parts.first()).copied()
    }
}

/// CSL-JSON in the wild writes numbers where strings belong (`"volume": 12`).
fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// Date parts in the wild hold strings (`["2019", "03"]`), nulls, and more than three parts.
fn lenient_date_parts<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Vec<i32>>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let Value::Array(dates) = value else { return Ok(Vec::new()) };
    Ok(dates
        .iter()
        .filter_map(|date| {
            let Value::Array(parts) = date else { return None };
            let parts: Vec<i32> = parts
                .iter()
                .map_while(|part| match part {
                    Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                })
                .take(3)
                .collect();
            (!parts.is_empty()).then_some(parts)
        })
        .collect())
}
