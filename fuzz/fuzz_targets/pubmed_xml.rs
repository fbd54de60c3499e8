//! The pubmed-xml parser on any text: no panic, and what it keeps passes the offset and view checks.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::parse_and_check(common::format("pubmed-xml"), "doc.xml", &common::text(data));
});
