//! Link-outs built only from validated identifiers, to https addresses of known registries.
//! An id that does not match its registry's shape gets no link: it shows as text.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The registry's name, shown beside the id.
    pub registry: &'static str,
    pub url: String,
}

fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn alnum(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// The registry page of one concept id. `kind` is the annotation's type, which says what a bare
/// number means (a Gene id, a Taxonomy id).
pub fn concept_link(id: &str, kind: &str) -> Option<Link> {
    let id = id.trim();
    let (prefix, local) = match id.split_once(':') {
        Some((prefix, local)) => (prefix.trim().to_ascii_uppercase(), local.trim()),
        None => (String::new(), id),
    };
    let kind = kind.to_ascii_lowercase();
    let link = |registry: &'static str, url: String| Some(Link { registry, url });
    let mesh = |ui: &str| {
        let ok = ui.len() >= 7 && matches!(ui.as_bytes()[0], b'C' | b'D') && digits(&ui[1..], 6, 9);
        if ok {
            link("MeSH", format!("https://meshb.nlm.nih.gov/record/ui?ui={ui}"))
        } else {
            None
        }
    };
    match prefix.as_str() {
        // tmVar packs the disease and chemical of a variant as `Disease:C535607`.
        "MESH" | "DISEASE" | "CHEMICAL" => mesh(local),
        "" if kind.contains("disease") || kind.contains("chemical") || kind == "chemmet" => mesh(local),
        "GENE" | "NCBIGENE" | "NCBI GENE" | "ENTREZ" if digits(local, 1, 12) => {
            link("NCBI Gene", format!("https://www.ncbi.nlm.nih.gov/gene/{local}"))
        }
        "" if kind.contains("gene") && digits(local, 1, 12) => {
            link("NCBI Gene", format!("https://www.ncbi.nlm.nih.gov/gene/{local}"))
        }
        "TAXONOMY" | "NCBITAXON" | "NCBITAXID" | "TAX" | "NCBI TAXONOMY" if digits(local, 1, 10) => {
            link("NCBI Taxonomy", format!("https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id={local}"))
        }
        "" if (kind.contains("species") || kind.contains("organism")) && digits(local, 1, 10) => {
            link("NCBI Taxonomy", format!("https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id={local}"))
        }
        "RS#" | "RS" | "RSID" | "DBSNP" if digits(local.trim_start_matches("rs"), 1, 12) => {
            link("dbSNP", format!("https://www.ncbi.nlm.nih.gov/snp/rs{}", local.trim_start_matches("rs")))
        }
        "" if local.starts_with("rs") && digits(&local[2..], 1, 12) => {
            link("dbSNP", format!("https://www.ncbi.nlm.nih.gov/snp/{local}"))
        }
        "" | "CELLOSAURUS" if local.starts_with("CVCL_") && alnum(&local[5..]) => {
            link("Cellosaurus", format!("https://www.cellosaurus.org/{local}"))
        }
        "OMIM" | "MIM" if digits(local, 6, 6) => link("OMIM", format!("https://omim.org/entry/{local}")),
        "HP" | "HPO" if digits(local, 7, 7) => link("HPO", format!("https://hpo.jax.org/browse/term/HP:{local}")),
        "CHEBI" if digits(local, 1, 9) => {
            link("ChEBI", format!("https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:{local}"))
        }
        "CA" if local.starts_with("CA") && digits(&local[2..], 1, 12) => link(
            "ClinGen Allele Registry",
            format!("https://reg.clinicalgenome.org/redmine/projects/registry/genboree_registry/by_caid?caid={local}"),
        ),
        "" if local.starts_with("CA") && digits(&local[2..], 1, 12) => link(
            "ClinGen Allele Registry",
            format!("https://reg.clinicalgenome.org/redmine/projects/registry/genboree_registry/by_caid?caid={local}"),
        ),
        "HMDB" if local.starts_with("HMDB") && digits(&local[4..], 5, 7) => {
            link("HMDB", format!("https://hmdb.ca/metabolites/{local}"))
        }
        "UNIPROT" | "UNIPROTKB" if alnum(local) && local.len() <= 10 => {
            link("UniProt", format!("https://www.uniprot.org/uniprotkb/{local}"))
        }
        "GO" if digits(local, 7, 7) => {
            link("Gene Ontology", format!("https://amigo.geneontology.org/amigo/term/GO:{local}"))
        }
        "DOID" if digits(local, 1, 9) => {
            link("Disease Ontology", format!("https://disease-ontology.org/?id=DOID:{local}"))
        }
        "WIKIPEDIA" if digits(local, 1, 12) => {
            link("Wikipedia", format!("https://en.wikipedia.org/wiki/index.html?curid={local}"))
        }
        _ => None,
    }
}

/// PubMed for a PMID of at most nine digits.
pub fn pubmed(pmid: &str) -> Option<String> {
    digits(pmid.trim(), 1, 9).then(|| format!("https://pubmed.ncbi.nlm.nih.gov/{}/", pmid.trim()))
}

/// PubMed Central for `PMC` followed by digits.
pub fn pmc(pmcid: &str) -> Option<String> {
    let id = pmcid.trim();
    let number = id.strip_prefix("PMC").unwrap_or(id);
    digits(number, 1, 10).then(|| format!("https://pmc.ncbi.nlm.nih.gov/articles/PMC{number}/"))
}

/// doi.org for a DOI of Crossref's shape (`10.` registrant `/` suffix, no spaces or controls).
/// The suffix is percent-encoded, so no character of it can end the URL's path.
pub fn doi(doi: &str) -> Option<String> {
    let doi = doi.trim();
    let (registrant, suffix) = doi.strip_prefix("10.")?.split_once('/')?;
    let registrant_ok =
        !registrant.is_empty() && registrant.len() <= 20 && registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if !registrant_ok || suffix.is_empty() || suffix.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let mut encoded = String::new();
    for byte in suffix.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/;()".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(format!("https://doi.org/10.{registrant}/{encoded}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(id: &str, kind: &str) -> Option<String> {
        concept_link(id, kind).map(|l| l.url)
    }

    #[test]
    fn links_known_registries() {
        assert_eq!(url("MESH:C510808", "Chemical").unwrap(), "https://meshb.nlm.nih.gov/record/ui?ui=C510808");
        assert_eq!(url("D007938", "Disease").unwrap(), "https://meshb.nlm.nih.gov/record/ui?ui=D007938");
        assert_eq!(url("930", "Gene").unwrap(), "https://www.ncbi.nlm.nih.gov/gene/930");
        assert!(url("9606", "Species").unwrap().ends_with("id=9606"));
        assert_eq!(url("RS#:72556554", "SNP").unwrap(), "https://www.ncbi.nlm.nih.gov/snp/rs72556554");
        assert_eq!(url("CVCL_0112", "CellLine").unwrap(), "https://www.cellosaurus.org/CVCL_0112");
        assert_eq!(url("OMIM:312080", "Disease").unwrap(), "https://omim.org/entry/312080");
        assert!(url("HP:0001654", "Phenotype").unwrap().contains("HP:0001654"));
        assert!(url("CHEBI:15956", "ChemMet").unwrap().ends_with("CHEBI:15956"));
    }

    #[test]
    fn refuses_what_is_not_an_id() {
        assert_eq!(url("MESH:javascript:alert(1)", "Chemical"), None);
        assert_eq!(url("p|SUB|R|114|H", "ProteinMutation"), None);
        assert_eq!(url("930", "Disease"), None);
        assert_eq!(doi("10.1000/a b"), None);
        assert_eq!(doi("javascript:alert(1)"), None);
        assert_eq!(pubmed("123abc"), None);
        assert_eq!(doi("10.1038/s41409-019-0708-9").unwrap(), "https://doi.org/10.1038/s41409-019-0708-9");
        assert_eq!(doi("10.1002/(SICI)1097\"<x>").unwrap(), "https://doi.org/10.1002/(SICI)1097%22%3Cx%3E");
    }
}
