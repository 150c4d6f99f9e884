//! The text of a query turned into a tantivy query, without any query syntax: whatever people type
//! is only words.
//!
//! Each word becomes a clause matching, in every scored field (with the field's weight), its stem,
//! the stems of the indexed words one edit away (words of five letters or more, no digits — codes
//! are exact —, weighted lower),
//! and, for the last word when the text does not end with a space, the stems of the indexed words
//! it begins (autocomplete). All clauses are required; when that matches nothing, the caller
//! retries with any clause sufficing.

use std::collections::HashMap;

use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::analysis::{self, WordStemmer};
use crate::layout::Fields;

/// Longer query text is cut (at a character boundary): no one types more.
const MAX_TEXT_BYTES: usize = 1_000;
/// At most this many distinct words count.
const MAX_WORDS: usize = 16;
/// Typo tolerance: one edit on words of at least this many characters.
const FUZZY_MIN_CHARS: usize = 5;
/// Prefix matching on the last word from this many characters.
const PREFIX_MIN_CHARS: usize = 3;
/// Most frequent expansions kept per word.
const MAX_FUZZY_EXPANSIONS: usize = 12;
const MAX_PREFIX_EXPANSIONS: usize = 24;
/// Terms looked at per segment when expanding a prefix.
const MAX_PREFIX_SCAN: usize = 20_000;

const FUZZY_WEIGHT: f32 = 0.4;
const PREFIX_WEIGHT: f32 = 0.6;

/// The text cut to a sane length.
pub(crate) fn clip(text: &str) -> &str {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The words to look for, and whether the last is to be completed as a prefix.
pub(crate) fn query_words(text: &str) -> (Vec<String>, bool) {
    let text = clip(text);
    let words = analysis::words(text);
    // « chauf* » asks for completion as explicitly as « chauf » being typed.
    let text = text.trim_end_matches('*');
    let ends_in_word = text.chars().next_back().is_some_and(char::is_alphanumeric);
    let prefix_last = ends_in_word && words.last().is_some_and(|w| w.end == text.len());
    // A word said twice finds nothing more, and each one costs its expansions and a clause.
    let mut out: Vec<String> = Vec::new();
    let mut last_is_new = false;
    for w in words {
        last_is_new = !out.contains(&w.raw);
        if last_is_new {
            if out.len() == MAX_WORDS {
                break;
            }
            out.push(w.raw);
        }
    }
    (out, prefix_last && last_is_new)
}

/// Indexed words within one edit of `word`, most frequent first.
fn fuzzy_expansions(searcher: &Searcher, raw: Field, word: &str) -> tantivy::Result<Vec<String>> {
    let query = FuzzyTermQuery::new(Term::from_field_text(raw, word), 1, true);
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(raw)?;
        let mut stream = index.terms().search(query.automaton()?).into_stream()?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key())
                && term != word
            {
                *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    Ok(most_frequent(found, MAX_FUZZY_EXPANSIONS))
}

/// Indexed words that `prefix` begins, most frequent first.
pub(crate) fn prefix_expansions(
    searcher: &Searcher,
    raw: Field,
    prefix: &str,
    limit: usize,
) -> tantivy::Result<Vec<String>> {
    let mut upper = prefix.as_bytes().to_vec();
    upper.push(0xFF);
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(raw)?;
        let mut stream = index.terms().range().ge(prefix.as_bytes()).lt(&upper).into_stream()?;
        let mut scanned = 0;
        while scanned < MAX_PREFIX_SCAN && stream.advance() {
            scanned += 1;
            if let Ok(term) = std::str::from_utf8(stream.key())
                && term != prefix
            {
                *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    Ok(most_frequent(found, limit))
}

fn most_frequent(found: HashMap<String, u64>, limit: usize) -> Vec<String> {
    let mut v: Vec<(String, u64)> = found.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(limit);
    v.into_iter().map(|(t, _)| t).collect()
}

/// The query for the words: `None` when there are none (the caller then takes every document).
pub(crate) fn build(
    searcher: &Searcher,
    fields: &Fields,
    words: &[String],
    prefix_last: bool,
    all_required: bool,
) -> tantivy::Result<Box<dyn Query>> {
    if words.is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let mut stemmer = WordStemmer::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        // Stem → weight, the best weight kept when two variants share a stem.
        let mut variants: Vec<(String, f32)> = vec![(stemmer.stem(word), 1.0)];
        let mut add = |stem: String, weight: f32| match variants.iter_mut().find(|(s, _)| *s == stem) {
            Some(v) => v.1 = v.1.max(weight),
            None => variants.push((stem, weight)),
        };
        let chars = word.chars().count();
        if chars >= FUZZY_MIN_CHARS && word.chars().all(char::is_alphabetic) {
            for t in fuzzy_expansions(searcher, fields.raw, word)? {
                add(stemmer.stem(&t), FUZZY_WEIGHT);
            }
        }
        if prefix_last && i + 1 == words.len() && chars >= PREFIX_MIN_CHARS {
            for t in prefix_expansions(searcher, fields.raw, word, MAX_PREFIX_EXPANSIONS)? {
                add(stemmer.stem(&t), PREFIX_WEIGHT);
            }
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (stem, weight) in &variants {
            for (field, boost) in fields.scored() {
                let q = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::WithFreqs);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost * weight))));
            }
        }
        let occur = if all_required { Occur::Must } else { Occur::Should };
        clauses.push((occur, Box::new(BooleanQuery::new(should))));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}
