//! The jats parser on any text: no panic, and what it keeps passes the offset and view checks.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::parse_and_check(common::format("jats"), "doc.nxml", &common::text(data));
});
