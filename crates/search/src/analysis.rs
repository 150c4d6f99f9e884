//! French text analysis: words (keeping the apostrophe of « l’école » inside the word), lowercase,
//! elision, ASCII folding, stop words, Snowball French stemmer.
//!
//! Two analyzers share every step but the last: `fr` (stemmed, what is scored) and `fr_raw`
//! (unstemmed, what typo and prefix expansion look words up in, since edit distances and prefixes
//! are meaningful on words, not on stems: « voierie » is one edit from « voirie », but their stems
//! are two apart).

use std::mem;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// Name under which the stemmed analyzer is registered.
pub(crate) const FR: &str = "halle_fr";
/// Name under which the unstemmed analyzer is registered.
pub(crate) const FR_RAW: &str = "halle_fr_raw";

/// Longer tokens (in bytes) are dropped: no French word is that long, garbage often is.
const MAX_TOKEN_BYTES: usize = 40;

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// Splits text into words: runs of letters and digits, an apostrophe kept when it stands between
/// two of them (« l’école », « aujourd’hui »), so that elision can see it.
#[derive(Clone, Default)]
pub(crate) struct WordTokenizer {
    token: Token,
}

pub(crate) struct WordTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream { text, cursor: 0, token: &mut self.token }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let rest = self.text.get(self.cursor..).unwrap_or("");
        let mut chars = rest.char_indices().peekable();
        let mut start = None;
        let mut end = rest.len();
        while let Some((i, c)) = chars.next() {
            match start {
                None => {
                    if c.is_alphanumeric() {
                        start = Some(i);
                    }
                }
                Some(_) => {
                    if c.is_alphanumeric() {
                        continue;
                    }
                    if is_apostrophe(c) && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric()) {
                        continue;
                    }
                    end = i;
                    break;
                }
            }
        }
        let Some(start) = start else {
            self.cursor = self.text.len();
            return false;
        };
        let (from, to) = (self.cursor + start, self.cursor + end);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.push_str(&self.text[from..to]);
        self.cursor = to;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The French elided words: « l’ », « d’ », « qu’ », « jusqu’ »…
const ELISIONS: [&str; 12] = ["l", "d", "qu", "j", "m", "n", "s", "t", "c", "jusqu", "lorsqu", "puisqu"];

/// Removes an elided article or pronoun at the start of a (lowercased) word, « l’école » →
/// « école », then any apostrophe left inside (« aujourd’hui » → « aujourdhui »).
#[derive(Clone, Copy)]
pub(crate) struct Elision;

impl TokenFilter for Elision {
    type Tokenizer<T: Tokenizer> = ElisionFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ElisionFilter<T> {
        ElisionFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub(crate) struct ElisionFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ElisionFilter<T> {
    type TokenStream<'a> = ElisionStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ElisionStream { tail: self.inner.token_stream(text), buffer: String::new() }
    }
}

pub(crate) struct ElisionStream<T> {
    tail: T,
    buffer: String,
}

/// The word without its elision and apostrophes, or `None` when there is nothing to change.
pub(crate) fn strip_elision(word: &str) -> Option<String> {
    let (i, c) = word.char_indices().find(|&(_, c)| is_apostrophe(c))?;
    let head = &word[..i];
    let rest = if ELISIONS.contains(&head) { &word[i + c.len_utf8()..] } else { word };
    Some(rest.chars().filter(|&c| !is_apostrophe(c)).collect())
}

impl<T: TokenStream> TokenStream for ElisionStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        if let Some(stripped) = strip_elision(&self.tail.token().text) {
            self.buffer = stripped;
            mem::swap(&mut self.tail.token_mut().text, &mut self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// French stop words, accents folded (they are removed after folding). The Snowball list, plus the
/// lone letters an elision leaves when the apostrophe ends the text.
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "je", "la",
    "le", "leur", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou",
    "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un",
    "une", "vos", "votre", "vous", "c", "d", "j", "l", "m", "n", "s", "t", "y", "ete", "etee", "etees", "etes",
    "etant", "suis", "es", "est", "sont", "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait",
    "serions", "seriez", "seraient", "etais", "etait", "etions", "etiez", "etaient", "fus", "fut", "fumes", "futes",
    "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fussions", "fussiez", "fussent",
    "ayant", "eu", "eue", "eues", "eus", "ai", "avons", "avez", "ont", "aurai", "aurons", "aurez", "auront", "aurais",
    "aurait", "aurions", "auriez", "auraient", "avais", "avait", "aviez", "avaient", "eut", "eumes", "eutes", "eurent",
    "aie", "aies", "ait", "ayons", "ayez", "aient", "eusse", "eusses", "eussions", "eussiez", "eussent", "ceci",
    "cela", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle", "quelles", "sans", "soi", "jusqu",
    "lorsqu", "puisqu",
];

/// Everything but the stemmer: what typo and prefix expansion match against.
pub(crate) fn raw_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Elision)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(STOP_WORDS.iter().map(|w| w.to_string())))
        .build()
}

/// The full French analysis: what is indexed and scored.
pub(crate) fn french_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Elision)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(STOP_WORDS.iter().map(|w| w.to_string())))
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Stems one word that has already been through [`raw_analyzer`].
pub(crate) struct WordStemmer(TextAnalyzer);

impl WordStemmer {
    pub(crate) fn new() -> Self {
        WordStemmer(TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::French)).build())
    }

    pub(crate) fn stem(&mut self, word: &str) -> String {
        let mut stream = self.0.token_stream(word);
        match stream.next() {
            Some(t) => t.text.clone(),
            None => word.to_string(),
        }
    }
}

/// A word of a query: its unstemmed form and where it ends in the text.
pub(crate) struct Word {
    pub(crate) raw: String,
    pub(crate) end: usize,
}

/// The words of a text through the unstemmed analysis.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut analyzer = raw_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(Word { raw: t.text.clone(), end: t.offset_to });
    }
    out
}

/// Public view of the analysis, for tests and debugging: the indexed terms of a text.
pub fn analyze(text: &str) -> Vec<String> {
    let mut analyzer = french_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elision_and_folding() {
        assert_eq!(analyze("L’École"), analyze("ecole"));
        assert_eq!(analyze("l'école"), analyze("ÉCOLE"));
        assert_eq!(analyze("jusqu’à l’hôtel d’agglomération"), analyze("hotel agglomeration"));
        assert_eq!(analyze("aujourd'hui"), vec!["aujourdhui".to_string()]);
        assert_eq!(analyze("nettoyages"), analyze("nettoyage"));
        assert_eq!(analyze("réhabilitation"), analyze("réhabiliter"));
        assert!(analyze("de la et l' d’ qu'").is_empty());
        assert!(analyze("😀 (( '' ’").is_empty());
        assert_eq!(analyze("maîtrise d’œuvre"), analyze("maitrise oeuvre"));
    }

    #[test]
    fn words_keep_their_end() {
        let w = words("Travaux de voirie ");
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].raw, "voirie");
        assert_eq!(w[1].end, 17);
    }
}
