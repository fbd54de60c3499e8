//! Every format's parser, including those without a target of their own: the first byte picks
//! the format, the rest is its text.

#![no_main]

mod common;

use litview::formats::{plain, FORMATS};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let choice = pick as usize % (FORMATS.len() + 1);
    let format = FORMATS.get(choice).unwrap_or(&plain::FORMAT);
    common::parse_and_check(format, "input", &common::text(rest));
});
