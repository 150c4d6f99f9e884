//! A minimal PDF 1.4 writer for small printable text documents (a bid receipt, an opening
//! report): headings, wrapped paragraphs, "Label : value" fields, simple tables and monospace
//! blocks, laid out on A4 pages with automatic page breaks and a "page N / M" footer.
//!
//! The output uses only the standard 14 fonts (Helvetica, Helvetica-Bold, Courier) with
//! `/WinAnsiEncoding`, so nothing is embedded and any reader displays it. Each character is
//! written as its Windows-1252 byte: French text (é, ç, œ, «, », ’, €, the no-break spaces)
//! comes through; a character outside Windows-1252 becomes `?`. Text is measured with the
//! Adobe metrics of the fonts for word wrapping. Nothing is compressed and the output is
//! deterministic (no date, no random ID): the same document gives the same bytes.
//!
//! Pure: [`render`] returns the bytes, the caller writes them where it wants.

use std::fmt::Write as _;

/// A4 width in points.
pub const PAGE_WIDTH: f64 = 595.0;
/// A4 height in points.
pub const PAGE_HEIGHT: f64 = 842.0;
const MARGIN_X: f64 = 56.0;
const MARGIN_TOP: f64 = 56.0;
/// The lowest point body text may reach; the footer lives below.
const MARGIN_BOTTOM: f64 = 64.0;
const FOOTER_BASELINE: f64 = 36.0;
/// The width available to the text of a page.
pub const CONTENT_WIDTH: f64 = PAGE_WIDTH - 2.0 * MARGIN_X;
const TOP: f64 = PAGE_HEIGHT - MARGIN_TOP;

const TITLE_SIZE: f64 = 16.0;
const TITLE_LEADING: f64 = 20.0;
const HEADING_SIZE: f64 = 12.0;
const HEADING_LEADING: f64 = 15.0;
const BODY_SIZE: f64 = 10.0;
const BODY_LEADING: f64 = 13.0;
const MONO_SIZE: f64 = 9.0;
const MONO_LEADING: f64 = 11.0;
const TABLE_SIZE: f64 = 9.0;
const TABLE_LEADING: f64 = 11.0;
const CELL_PADDING: f64 = 3.0;
/// A table cell shows at most this many lines; the last one ends with an ellipsis if cut.
const MAX_CELL_LINES: usize = 6;
const FOOTER_SIZE: f64 = 8.0;
/// A "Label : " wider than this share of the line puts the value on the lines below.
const MAX_LABEL_SHARE: f64 = 0.45;
const LABEL_SEPARATOR: &[u8] = b" : ";
/// Windows-1252 "…".
const ELLIPSIS: u8 = 0x85;

/// A document: its title (shown at the top of the first page, in the footer of every page and
/// in the PDF's Info dictionary) and its content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One piece of content, laid out top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading, bold; kept on the same page as the start of what follows.
    Heading(String),
    /// Running text wrapped to the page width; `\n` forces a line break.
    Paragraph(String),
    /// A "Label : value" line, the label bold, the value wrapped under itself.
    Field { label: String, value: String },
    /// A table with a bold header row, repeated on each page the table spans. Column widths
    /// follow the content; cell text is wrapped and cut with an ellipsis after a few lines.
    Table { headers: Vec<String>, rows: Vec<Vec<String>> },
    /// Fixed-width text (hashes, identifiers) in Courier, wrapped between any two characters.
    Monospace(String),
}

impl Document {
    pub fn new(title: impl Into<String>) -> Document {
        Document { title: title.into(), blocks: Vec::new() }
    }

    pub fn push(&mut self, block: Block) -> &mut Document {
        self.blocks.push(block);
        self
    }

    pub fn heading(mut self, text: impl Into<String>) -> Document {
        self.blocks.push(Block::Heading(text.into()));
        self
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Document {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    pub fn field(mut self, label: impl Into<String>, value: impl Into<String>) -> Document {
        self.blocks.push(Block::Field { label: label.into(), value: value.into() });
        self
    }

    pub fn table(mut self, headers: Vec<String>, rows: Vec<Vec<String>>) -> Document {
        self.blocks.push(Block::Table { headers, rows });
        self
    }

    pub fn monospace(mut self, text: impl Into<String>) -> Document {
        self.blocks.push(Block::Monospace(text.into()));
        self
    }
}

/// The fonts a document uses, all among the standard 14 (never embedded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Helvetica,
    HelveticaBold,
    Courier,
}

impl Font {
    const ALL: [Font; 3] = [Font::Helvetica, Font::HelveticaBold, Font::Courier];

    fn resource(self) -> &'static str {
        match self {
            Font::Helvetica => "F1",
            Font::HelveticaBold => "F2",
            Font::Courier => "F3",
        }
    }

    fn base_font(self) -> &'static str {
        match self {
            Font::Helvetica => "Helvetica",
            Font::HelveticaBold => "Helvetica-Bold",
            Font::Courier => "Courier",
        }
    }

    /// The advance width of the glyph of Windows-1252 byte `byte`, in thousandths of the size.
    fn glyph_units(self, byte: u8) -> u32 {
        match self {
            Font::Helvetica => u32::from(HELVETICA_WIDTHS[usize::from(byte)]),
            Font::HelveticaBold => u32::from(HELVETICA_BOLD_WIDTHS[usize::from(byte)]),
            Font::Courier => 600,
        }
    }

    fn units(self, bytes: &[u8]) -> u32 {
        bytes.iter().map(|&b| self.glyph_units(b)).sum()
    }
}

/// The width in points of `text` set in `font` at `size` points, as [`render`] measures it.
pub fn text_width(text: &str, font: Font, size: f64) -> f64 {
    encoded_width(&encode(text), font, size)
}

fn encoded_width(bytes: &[u8], font: Font, size: f64) -> f64 {
    f64::from(font.units(bytes)) * size / 1000.0
}

/// Renders `doc` as a complete PDF 1.4 file.
pub fn render(doc: &Document) -> Vec<u8> {
    serialize(&doc.title, &layout(doc))
}

// ---------------------------------------------------------------------------------------------
// Text encoding

/// The characters of Windows-1252 bytes 0x80..=0x9F (the rest of 0xA0..=0xFF is Latin-1).
const CP1252_80_9F: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Text as Windows-1252 bytes (`\n` kept as a line break): decomposed accents (macOS file
/// names) are composed first, invisible characters (soft hyphen, zero-width spaces, stray
/// combining marks) dropped, anything else Windows-1252 lacks replaced by `?`.
fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match chars.peek().and_then(|&mark| compose(c, mark)) {
            Some(composed) => {
                chars.next();
                composed
            }
            None => c,
        };
        if let Some(byte) = win_ansi(c) {
            out.push(byte);
        } else if !is_invisible(c) {
            out.push(b'?');
        }
    }
    out
}

fn win_ansi(c: char) -> Option<u8> {
    match c {
        ' '..='~' | '\n' => u8::try_from(u32::from(c)).ok(),
        '\t' => Some(b' '),
        '\u{AD}' => None,
        '\u{A0}'..='\u{FF}' => u8::try_from(u32::from(c)).ok(),
        // Narrow no-break space (French thin space before ; : ! ? and inside « »), figure space.
        '\u{202F}' | '\u{2007}' => Some(0xA0),
        '\u{2000}'..='\u{200A}' => Some(b' '),
        '\u{2010}' | '\u{2011}' | '\u{2212}' => Some(b'-'),
        _ => CP1252_80_9F.iter().position(|&m| m == Some(c)).and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\r' | '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{300}'..='\u{36F}')
}

/// `base` followed by the combining `mark`, as one precomposed Windows-1252 letter.
fn compose(base: char, mark: char) -> Option<char> {
    // Pairs of (base, composed) for each mark.
    let pairs = match mark {
        '\u{300}' => "AÀEÈIÌOÒUÙaàeèiìoòuù",
        '\u{301}' => "AÁEÉIÍOÓUÚYÝaáeéiíoóuúyý",
        '\u{302}' => "AÂEÊIÎOÔUÛaâeêiîoôuû",
        '\u{303}' => "AÃNÑOÕaãnñoõ",
        '\u{308}' => "AÄEËIÏOÖUÜYŸaäeëiïoöuüyÿ",
        '\u{30A}' => "AÅaå",
        '\u{327}' => "CÇcç",
        _ => return None,
    };
    let chars: Vec<char> = pairs.chars().collect();
    chars.chunks(2).find(|pair| pair[0] == base).map(|pair| pair[1])
}

/// A PDF literal string: `(`, the bytes with `(`, `)` and `\` escaped, `)`.
fn literal_string(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend([b'\\', b]),
            b'\n' => out.extend(b"\\n"),
            b'\r' => out.extend(b"\\r"),
            _ => out.push(b),
        }
    }
    out.push(b')');
    out
}

/// A PDF text string (Info dictionary): a literal if printable ASCII, else UTF-16BE with a BOM.
fn text_string(text: &str) -> Vec<u8> {
    if text.chars().all(|c| (' '..='~').contains(&c)) {
        return literal_string(text.as_bytes());
    }
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out.into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Line breaking

/// Breaks Windows-1252 `text` into lines no wider than `max_width` points: at spaces (runs of
/// spaces collapse; the no-break space 0xA0 never breaks), and inside a word only when the word
/// alone is wider than a line. `\n` forces a break. A glyph wider than the line is dropped.
fn wrap(text: &[u8], font: Font, size: f64, max_width: f64) -> Vec<Vec<u8>> {
    let max = max_width * 1000.0 / size + 1e-9;
    let fits = |units: u32| f64::from(units) <= max;
    let space = font.glyph_units(b' ');
    let mut lines = Vec::new();
    for hard_line in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_units = 0;
        for word in hard_line.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_units = font.units(word);
            if !line.is_empty() && fits(line_units + space + word_units) {
                line.push(b' ');
                line.extend_from_slice(word);
                line_units += space + word_units;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_units = 0;
            }
            if fits(word_units) {
                line.extend_from_slice(word);
                line_units = word_units;
                continue;
            }
            for &b in word {
                let glyph = font.glyph_units(b);
                if !fits(line_units + glyph) {
                    if line.is_empty() {
                        continue;
                    }
                    lines.push(std::mem::take(&mut line));
                    line_units = 0;
                    if !fits(glyph) {
                        continue;
                    }
                }
                line.push(b);
                line_units += glyph;
            }
        }
        lines.push(line);
    }
    lines
}

/// Breaks Windows-1252 `text` for a fixed-width font into lines of at most as many characters
/// as fit in `max_width`, between any two characters; `\n` forces a break.
fn wrap_chars(text: &[u8], size: f64, max_width: f64) -> Vec<Vec<u8>> {
    let glyph = f64::from(Font::Courier.glyph_units(b'0')) * size / 1000.0;
    // Truncation intended: a partial character does not fit.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let per_line = ((max_width / glyph) + 1e-9).floor().max(1.0) as usize;
    let mut lines = Vec::new();
    for hard_line in text.split(|&b| b == b'\n') {
        if hard_line.is_empty() {
            lines.push(Vec::new());
        }
        lines.extend(hard_line.chunks(per_line).map(<[u8]>::to_vec));
    }
    lines
}

/// `line` shortened so that it and a final ellipsis fit in `max_width`.
fn with_ellipsis(line: &[u8], font: Font, size: f64, max_width: f64) -> Vec<u8> {
    let mut out = line.to_vec();
    loop {
        while out.last() == Some(&b' ') {
            out.pop();
        }
        out.push(ELLIPSIS);
        if encoded_width(&out, font, size) <= max_width + 1e-9 {
            return out;
        }
        out.pop();
        if out.pop().is_none() {
            return out;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Layout

/// One drawing operation on a page, in PDF coordinates (points, origin bottom left).
#[derive(Debug, Clone, PartialEq)]
enum Op {
    /// Text on one line, `y` its baseline; `gray` 0 is black.
    Text { x: f64, y: f64, font: Font, size: f64, gray: f64, bytes: Vec<u8> },
    /// A rectangle outlined with a thin gray line, filled with `fill` gray if any.
    Rect { x: f64, y: f64, width: f64, height: f64, fill: Option<f64> },
    /// A horizontal thin gray rule.
    Rule { x: f64, y: f64, width: f64 },
}

struct Layout {
    pages: Vec<Vec<Op>>,
    /// The top of the free space on the current page.
    y: f64,
}

/// The baseline of a line of text set at `size` in a line box of `leading` whose top is `top`.
fn baseline(top: f64, leading: f64, size: f64) -> f64 {
    top - (leading - size) / 2.0 - size * 0.78
}

impl Layout {
    fn new() -> Layout {
        Layout { pages: vec![Vec::new()], y: TOP }
    }

    fn page(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a layout has a page")
    }

    fn fresh_page(&self) -> bool {
        self.pages.last().is_none_or(Vec::is_empty)
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits above the bottom margin (or the page is empty:
    /// what does not fit on an empty page would not fit on the next one either).
    fn ensure(&mut self, height: f64) {
        if self.y - height < MARGIN_BOTTOM - 1e-9 && !self.fresh_page() {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page.
    fn gap(&mut self, height: f64) {
        if !self.fresh_page() {
            self.y -= height;
        }
    }

    fn text(&mut self, x: f64, y: f64, font: Font, size: f64, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.page().push(Op::Text { x, y, font, size, gray: 0.0, bytes });
        }
    }

    /// Lays out `lines` one under the other from `x`, breaking pages between lines.
    fn lines(&mut self, lines: Vec<Vec<u8>>, x: f64, font: Font, size: f64, leading: f64) {
        for line in lines {
            self.ensure(leading);
            let y = baseline(self.y, leading, size);
            self.text(x, y, font, size, line);
            self.y -= leading;
        }
    }

    fn title(&mut self, title: &str) {
        let lines = wrap(&encode(title), Font::HelveticaBold, TITLE_SIZE, CONTENT_WIDTH);
        self.lines(lines, MARGIN_X, Font::HelveticaBold, TITLE_SIZE, TITLE_LEADING);
        self.y -= 4.0;
        let y = self.y;
        self.page().push(Op::Rule { x: MARGIN_X, y, width: CONTENT_WIDTH });
        self.y -= 12.0;
    }

    fn heading(&mut self, text: &str) {
        self.gap(8.0);
        let lines = wrap(&encode(text), Font::HelveticaBold, HEADING_SIZE, CONTENT_WIDTH);
        // Keep the heading with the first two lines of what follows.
        self.ensure(lines.len() as f64 * HEADING_LEADING + 2.0 * BODY_LEADING);
        self.lines(lines, MARGIN_X, Font::HelveticaBold, HEADING_SIZE, HEADING_LEADING);
        self.y -= 4.0;
    }

    fn paragraph(&mut self, text: &str) {
        let lines = wrap(&encode(text), Font::Helvetica, BODY_SIZE, CONTENT_WIDTH);
        self.lines(lines, MARGIN_X, Font::Helvetica, BODY_SIZE, BODY_LEADING);
        self.y -= 6.0;
    }

    fn field(&mut self, label: &str, value: &str) {
        let mut label = encode(label);
        label.extend_from_slice(LABEL_SEPARATOR);
        let value = encode(value);
        let label_width = encoded_width(&label, Font::HelveticaBold, BODY_SIZE);
        if label_width <= CONTENT_WIDTH * MAX_LABEL_SHARE {
            let lines = wrap(&value, Font::Helvetica, BODY_SIZE, CONTENT_WIDTH - label_width);
            for (i, line) in lines.into_iter().enumerate() {
                self.ensure(BODY_LEADING);
                let y = baseline(self.y, BODY_LEADING, BODY_SIZE);
                if i == 0 {
                    self.text(MARGIN_X, y, Font::HelveticaBold, BODY_SIZE, label.clone());
                }
                self.text(MARGIN_X + label_width, y, Font::Helvetica, BODY_SIZE, line);
                self.y -= BODY_LEADING;
            }
        } else {
            let label_lines = wrap(&label, Font::HelveticaBold, BODY_SIZE, CONTENT_WIDTH);
            self.lines(label_lines, MARGIN_X, Font::HelveticaBold, BODY_SIZE, BODY_LEADING);
            if !value.is_empty() {
                let lines = wrap(&value, Font::Helvetica, BODY_SIZE, CONTENT_WIDTH);
                self.lines(lines, MARGIN_X, Font::Helvetica, BODY_SIZE, BODY_LEADING);
            }
        }
        self.y -= 2.0;
    }

    fn monospace(&mut self, text: &str) {
        let lines = wrap_chars(&encode(text), MONO_SIZE, CONTENT_WIDTH);
        self.lines(lines, MARGIN_X, Font::Courier, MONO_SIZE, MONO_LEADING);
        self.y -= 6.0;
    }

    fn table(&mut self, headers: &[String], rows: &[Vec<String>]) {
        let columns = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let cells = |row: &[String]| -> Vec<Vec<u8>> {
            (0..columns).map(|i| row.get(i).map(|cell| encode(cell)).unwrap_or_default()).collect()
        };
        let header = cells(headers);
        let body: Vec<Vec<Vec<u8>>> = rows.iter().map(|row| cells(row)).collect();

        let mut natural = vec![0.0_f64; columns];
        for (i, cell) in header.iter().enumerate() {
            natural[i] = natural[i].max(encoded_width(cell, Font::HelveticaBold, TABLE_SIZE));
        }
        for row in &body {
            for (i, cell) in row.iter().enumerate() {
                natural[i] = natural[i].max(encoded_width(cell, Font::Helvetica, TABLE_SIZE));
            }
        }
        let natural: Vec<f64> = natural.iter().map(|w| w + 2.0 * CELL_PADDING).collect();
        let widths = column_widths(&natural, CONTENT_WIDTH);

        let has_header = header.iter().any(|cell| !cell.is_empty());
        let header = has_header.then(|| cell_lines(&header, &widths, Font::HelveticaBold));
        let row_height = |lines: &[Vec<Vec<u8>>]| {
            lines.iter().map(Vec::len).max().unwrap_or(0).max(1) as f64 * TABLE_LEADING + 2.0 * CELL_PADDING
        };
        let header_height = header.as_deref().map_or(0.0, row_height);

        self.gap(2.0);
        for (i, row) in body.iter().enumerate() {
            let lines = cell_lines(row, &widths, Font::Helvetica);
            let height = row_height(&lines);
            let first = i == 0;
            if first {
                self.ensure(header_height + height);
            } else {
                self.ensure(height);
            }
            if let Some(header) = &header
                && (first || self.fresh_page())
            {
                self.row(header, &widths, Font::HelveticaBold, Some(0.9));
            }
            self.row(&lines, &widths, Font::Helvetica, None);
        }
        if body.is_empty()
            && let Some(header) = &header
        {
            self.ensure(header_height);
            self.row(header, &widths, Font::HelveticaBold, Some(0.9));
        }
        self.y -= 8.0;
    }

    /// Draws one table row at the current position (the caller made room for it).
    fn row(&mut self, cells: &[Vec<Vec<u8>>], widths: &[f64], font: Font, fill: Option<f64>) {
        let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1) as f64 * TABLE_LEADING + 2.0 * CELL_PADDING;
        let top = self.y;
        let mut x = MARGIN_X;
        for (lines, &width) in cells.iter().zip(widths) {
            self.page().push(Op::Rect { x, y: top - height, width, height, fill });
            for (i, line) in lines.iter().enumerate() {
                let y = baseline(top - CELL_PADDING - i as f64 * TABLE_LEADING, TABLE_LEADING, TABLE_SIZE);
                self.text(x + CELL_PADDING, y, font, TABLE_SIZE, line.clone());
            }
            x += width;
        }
        self.y -= height;
    }

    /// Adds "title … page N / M" at the bottom of every page.
    fn footers(&mut self, title: &str) {
        let count = self.pages.len();
        let title = encode(title);
        for (i, page) in self.pages.iter_mut().enumerate() {
            let number = encode(&format!("page {} / {count}", i + 1));
            let number_width = encoded_width(&number, Font::Helvetica, FOOTER_SIZE);
            let y = FOOTER_BASELINE;
            page.push(Op::Rule { x: MARGIN_X, y: y + 10.0, width: CONTENT_WIDTH });
            let room = CONTENT_WIDTH - number_width - 24.0;
            let mut title = title.clone();
            title.retain(|&b| b != b'\n');
            if encoded_width(&title, Font::Helvetica, FOOTER_SIZE) > room {
                title = with_ellipsis(&title, Font::Helvetica, FOOTER_SIZE, room);
            }
            if !title.is_empty() {
                page.push(Op::Text {
                    x: MARGIN_X,
                    y,
                    font: Font::Helvetica,
                    size: FOOTER_SIZE,
                    gray: 0.35,
                    bytes: title,
                });
            }
            let x = PAGE_WIDTH - MARGIN_X - number_width;
            page.push(Op::Text { x, y, font: Font::Helvetica, size: FOOTER_SIZE, gray: 0.35, bytes: number });
        }
    }
}

/// Each cell's text wrapped to its column, cut after [`MAX_CELL_LINES`] lines.
fn cell_lines(cells: &[Vec<u8>], widths: &[f64], font: Font) -> Vec<Vec<Vec<u8>>> {
    cells
        .iter()
        .zip(widths)
        .map(|(cell, &width)| {
            let inner = width - 2.0 * CELL_PADDING;
            let mut lines = wrap(cell, font, TABLE_SIZE, inner);
            if lines.len() > MAX_CELL_LINES {
                lines.truncate(MAX_CELL_LINES);
                let last = lines.pop().unwrap_or_default();
                lines.push(with_ellipsis(&last, font, TABLE_SIZE, inner));
            }
            lines
        })
        .collect()
}

/// Column widths summing to `total`: a column whose natural width is within its fair share
/// gets it, the wider ones share what is left equally (so every column gets at least
/// `min(natural, total / n)`); if all fit, all are widened in proportion.
fn column_widths(natural: &[f64], total: f64) -> Vec<f64> {
    let mut widths = vec![0.0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut remaining = total;
    loop {
        if open.is_empty() {
            let used: f64 = widths.iter().sum();
            if used > 0.0 {
                widths.iter_mut().for_each(|w| *w *= total / used);
            }
            return widths;
        }
        let fair = remaining / open.len() as f64;
        let before = open.len();
        open.retain(|&i| {
            if natural[i] <= fair {
                widths[i] = natural[i];
                remaining -= natural[i];
                false
            } else {
                true
            }
        });
        if open.len() == before {
            for &i in &open {
                widths[i] = fair;
            }
            return widths;
        }
    }
}

fn layout(doc: &Document) -> Vec<Vec<Op>> {
    let mut layout = Layout::new();
    if !doc.title.trim().is_empty() {
        layout.title(&doc.title);
    }
    for block in &doc.blocks {
        match block {
            Block::Heading(text) => layout.heading(text),
            Block::Paragraph(text) => layout.paragraph(text),
            Block::Field { label, value } => layout.field(label, value),
            Block::Table { headers, rows } => layout.table(headers, rows),
            Block::Monospace(text) => layout.monospace(text),
        }
    }
    layout.footers(&doc.title);
    layout.pages
}

// ---------------------------------------------------------------------------------------------
// Serialization

/// A number as PDF writes it: at most two decimals, no trailing zeros.
fn num(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

fn content_stream(ops: &[Op]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(b"0.5 w 0.6 G\n");
    for op in ops {
        match op {
            Op::Text { x, y, font, size, gray, bytes } => {
                let color = if *gray == 0.0 { String::new() } else { format!("{} g ", num(*gray)) };
                out.extend(
                    format!("{color}BT /{} {} Tf {} {} Td ", font.resource(), num(*size), num(*x), num(*y)).bytes(),
                );
                out.extend(literal_string(bytes));
                out.extend(b" Tj ET");
                if *gray != 0.0 {
                    out.extend(b" 0 g");
                }
                out.push(b'\n');
            }
            Op::Rect { x, y, width, height, fill } => {
                let rect = format!("{} {} {} {} re", num(*x), num(*y), num(*width), num(*height));
                match fill {
                    Some(gray) => out.extend(format!("{} g {rect} B 0 g\n", num(*gray)).bytes()),
                    None => out.extend(format!("{rect} S\n").bytes()),
                }
            }
            Op::Rule { x, y, width } => {
                out.extend(format!("{} {} m {} {} l S\n", num(*x), num(*y), num(x + width), num(*y)).bytes());
            }
        }
    }
    out
}

/// Objects are numbered in the order they are written, so the xref table follows.
struct Writer {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    fn object(&mut self, number: usize, body: &[u8]) {
        assert_eq!(number, self.offsets.len() + 1, "PDF objects are written in order");
        self.offsets.push(self.out.len());
        self.out.extend(format!("{number} 0 obj\n").bytes());
        self.out.extend_from_slice(body);
        self.out.extend(b"\nendobj\n");
    }

    fn stream(&mut self, number: usize, data: &[u8]) {
        let mut body = format!("<< /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend(b"\nendstream");
        self.object(number, &body);
    }
}

const CATALOG: usize = 1;
const PAGES: usize = 2;
const FIRST_FONT: usize = 3;
const INFO: usize = FIRST_FONT + Font::ALL.len();
const FIRST_PAGE: usize = INFO + 1;

fn serialize(title: &str, pages: &[Vec<Op>]) -> Vec<u8> {
    let mut w = Writer { out: Vec::new(), offsets: Vec::new() };
    // A comment of high bytes tells transfer tools the file is binary.
    w.out.extend(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");

    let page_object = |i: usize| FIRST_PAGE + 2 * i;
    w.object(
        CATALOG,
        format!("<< /Type /Catalog /Pages {PAGES} 0 R /Lang (fr-FR) /ViewerPreferences << /DisplayDocTitle true >> >>")
            .as_bytes(),
    );
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", page_object(i))).collect();
    w.object(PAGES, format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()).as_bytes());
    for (i, font) in Font::ALL.iter().enumerate() {
        let body =
            format!("<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>", font.base_font());
        w.object(FIRST_FONT + i, body.as_bytes());
    }
    let mut info = b"<< /Title ".to_vec();
    info.extend(text_string(title));
    info.extend(b" /Producer (Halle) >>");
    w.object(INFO, &info);

    let fonts: Vec<String> =
        Font::ALL.iter().enumerate().map(|(i, font)| format!("/{} {} 0 R", font.resource(), FIRST_FONT + i)).collect();
    for (i, ops) in pages.iter().enumerate() {
        let number = page_object(i);
        let page = format!(
            "<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 {} {}] /Resources << /Font << {} >> >> /Contents {} 0 R >>",
            num(PAGE_WIDTH),
            num(PAGE_HEIGHT),
            fonts.join(" "),
            number + 1
        );
        w.object(number, page.as_bytes());
        w.stream(number + 1, &content_stream(ops));
    }

    let xref = w.out.len();
    let size = w.offsets.len() + 1;
    let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for offset in &w.offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ =
        write!(table, "trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref}\n%%EOF\n");
    w.out.extend(table.bytes());
    w.out
}

// ---------------------------------------------------------------------------------------------
// Font metrics

/// Advance widths (thousandths of an em) of Helvetica for each Windows-1252 byte, from Adobe's
/// Core14 AFM file `Helvetica.afm` (Adobe Systems, 1997), as tabulated per cp1252 code by FPDF
/// (`font/helvetica.php`); the ASCII values agree with Wine's AFM-derived
/// `dlls/wineps/data/Helvetica.c`. Codes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) and the
/// controls are never written; they carry the bullet and space widths FPDF gives them.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 256] = [
    // 0x00..=0x1F
    278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278,
    278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278,
    // 0x20 space ! " # $ % & ' ( ) * + , - . /
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    // 0x30 0-9 : ; < = > ?
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    // 0x40 @ A-O
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    // 0x50 P-Z [ \ ] ^ _
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    // 0x60 ` a-o
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    // 0x70 p-z { | } ~ DEL
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350,
    // 0x80 € _ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ _ Ž _
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    // 0x90 _ ‘ ’ “ ” • – — ˜ ™ š › œ _ ž Ÿ
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667,
    // 0xA0 nbsp ¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ shy ® ¯
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    // 0xB0 ° ± ² ³ ´ µ ¶ · ¸ ¹ º » ¼ ½ ¾ ¿
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    // 0xC0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    // 0xD0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    // 0xE0 à á â ã ä å æ ç è é ê ë ì í î ï
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    // 0xF0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Advance widths of Helvetica-Bold for each Windows-1252 byte, from Adobe's Core14 AFM file
/// `Helvetica-Bold.afm`, as tabulated per cp1252 code by FPDF (`font/helveticab.php`).
#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 256] = [
    // 0x00..=0x1F
    278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278,
    278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278,
    // 0x20 space ! " # $ % & ' ( ) * + , - . /
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    // 0x30 0-9 : ; < = > ?
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    // 0x40 @ A-O
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    // 0x50 P-Z [ \ ] ^ _
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    // 0x60 ` a-o
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    // 0x70 p-z { | } ~ DEL
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350,
    // 0x80 € _ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ _ Ž _
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    // 0x90 _ ‘ ’ “ ” • – — ˜ ™ š › œ _ ž Ÿ
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667,
    // 0xA0 nbsp ¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ shy ® ¯
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    // 0xB0 ° ± ² ³ ´ µ ¶ · ¸ ¹ º » ¼ ½ ¾ ¿
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    // 0xC0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    // 0xD0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    // 0xE0 à á â ã ä å æ ç è é ê ë ì í î ï
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    // 0xF0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::process::Command;

    use super::*;

    fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        haystack[from..].windows(needle.len()).position(|w| w == needle).map(|i| from + i)
    }

    /// The ASCII number starting at `at`.
    fn number_at(pdf: &[u8], at: usize) -> usize {
        let digits = pdf[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        std::str::from_utf8(&pdf[at..at + digits]).unwrap().parse().unwrap()
    }

    /// Parses the xref table `render` wrote and checks it against the bytes (offsets are byte
    /// offsets: the file is not UTF-8): every in-use entry points at "N 0 obj", `startxref`
    /// points at "xref", every stream's /Length is exact.
    fn check_structure(pdf: &[u8]) {
        assert!(pdf.starts_with(b"%PDF-1.4\n"), "header");
        assert!(pdf.ends_with(b"%%EOF\n"), "trailer end");
        let at = pdf.windows(10).rposition(|w| w == b"startxref\n").expect("startxref");
        let xref = number_at(pdf, at + 10);
        assert!(pdf[xref..].starts_with(b"xref\n0 "), "startxref points at xref");
        let count = number_at(pdf, xref + 7);
        let entries = xref + format!("xref\n0 {count}\n").len();
        // Each entry is exactly 20 bytes: 10 digits, space, 5 digits, space, n/f, space, LF.
        for i in 0..count {
            let entry = std::str::from_utf8(&pdf[entries + i * 20..entries + (i + 1) * 20]).unwrap();
            if i == 0 {
                assert_eq!(entry, "0000000000 65535 f \n");
                continue;
            }
            assert_eq!(&entry[10..], " 00000 n \n", "entry {i}");
            let offset: usize = entry[..10].parse().unwrap();
            let expected = format!("{i} 0 obj\n");
            assert!(pdf[offset..].starts_with(expected.as_bytes()), "xref entry {i} points at {offset}");
        }
        assert!(pdf[entries + count * 20..].starts_with(format!("trailer\n<< /Size {count} ").as_bytes()));
        assert_eq!(pdf.windows(7).filter(|w| w == b" 0 obj\n").count(), count - 1, "one xref entry per object");

        let mut from = 0;
        let mut streams = 0;
        while let Some(found) = find(pdf, b"/Length ", from) {
            let length = number_at(pdf, found + 8);
            let data = find(pdf, b">>\nstream\n", found).unwrap() + 10;
            assert!(pdf[data + length..].starts_with(b"\nendstream\nendobj\n"), "stream /Length {length}");
            from = data + length;
            streams += 1;
        }
        assert!(streams > 0);
    }

    fn receipt() -> Document {
        Document::new("Accusé de réception")
            .heading("Dépôt d’un pli")
            .field("Consultation", "2025-014 — Rénovation énergétique du gymnase")
            .field("Entreprise", "Société d’Électricité Générale (SEG)")
            .field("Déposé le", "lundi 3 mars 2025 à 11 h 42 (heure de Paris)")
            .monospace("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
            .paragraph(
                "Ce pli (chiffré) reste scellé jusqu’à l’ouverture : \\ ni l’acheteur ni Halle ne peuvent le lire.",
            )
    }

    #[test]
    fn output_structure_is_consistent() {
        let pdf = render(&receipt());
        check_structure(&pdf);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"));
        assert!(text.contains("/MediaBox [0 0 595 842]"));
        assert!(text.contains("/Count 1 "));
        // "(chiffré)" and the backslash are escaped in the content stream.
        assert!(find(&pdf, b"\\(chiffr\xE9\\) ", 0).is_some(), "parentheses escaped");
        assert!(find(&pdf, b" \\\\ ", 0).is_some(), "backslash escaped");
        // Deterministic.
        assert_eq!(pdf, render(&receipt()));
        check_structure(&render(&Document::default()));
    }

    #[test]
    fn info_title_is_utf16_with_bom_when_not_ascii() {
        assert_eq!(text_string("Receipt (v2)"), b"(Receipt \\(v2\\))".to_vec());
        assert_eq!(text_string("Reçu €"), b"<FEFF0052006500E70075002020AC>".to_vec());
        let pdf = render(&Document::new("Procès-verbal"));
        assert!(String::from_utf8_lossy(&pdf).contains("/Title <FEFF00500072006F006300E80073002D"));
    }

    #[test]
    fn characters_map_to_windows_1252() {
        let pairs = [
            ('é', 0xE9),
            ('è', 0xE8),
            ('à', 0xE0),
            ('ç', 0xE7),
            ('ô', 0xF4),
            ('û', 0xFB),
            ('ù', 0xF9),
            ('ï', 0xEF),
            ('î', 0xEE),
            ('ë', 0xEB),
            ('â', 0xE2),
            ('É', 0xC9),
            ('œ', 0x9C),
            ('Œ', 0x8C),
            ('«', 0xAB),
            ('»', 0xBB),
            ('’', 0x92),
            ('–', 0x96),
            ('—', 0x97),
            ('€', 0x80),
            ('…', 0x85),
            ('Ÿ', 0x9F),
            ('\u{A0}', 0xA0),
            ('\u{202F}', 0xA0),
            ('\u{2009}', b' '),
            ('\t', b' '),
        ];
        for (c, byte) in pairs {
            assert_eq!(encode(&c.to_string()), vec![byte], "{c:?}");
        }
        assert_eq!(encode("中😀"), b"??".to_vec());
        assert_eq!(encode("\u{1}"), b"?".to_vec());
        // Decomposed accents (NFD) are composed; invisible characters vanish.
        assert_eq!(encode("e\u{301}te\u{301} c\u{327}a"), b"\xE9t\xE9 \xE7a".to_vec());
        assert_eq!(encode("in\u{AD}vi\u{200B}sible\r\n"), b"invisible\n".to_vec());
        assert_eq!(encode("x\u{301}"), b"x".to_vec());
        // Every defined cp1252 byte maps back to itself.
        for (i, c) in CP1252_80_9F.iter().enumerate() {
            if let Some(c) = c {
                assert_eq!(encode(&c.to_string()), vec![0x80 + i as u8]);
            }
        }
        assert_eq!(literal_string(b"a(b)c\\d"), b"(a\\(b\\)c\\\\d)".to_vec());
    }

    #[test]
    fn widths_follow_the_metrics() {
        assert_eq!(text_width("", Font::Helvetica, 10.0), 0.0);
        // AFM: H 722, e 556, l 222, o 556.
        assert!(
            (text_width("Hello", Font::Helvetica, 10.0) - (722.0 + 556.0 + 222.0 * 2.0 + 556.0) / 100.0).abs() < 1e-9
        );
        assert!((text_width("é", Font::HelveticaBold, 1000.0) - 556.0).abs() < 1e-9);
        assert!((text_width("W@", Font::HelveticaBold, 1000.0) - (944.0 + 975.0)).abs() < 1e-9);
        assert!((text_width("œ—", Font::Helvetica, 1000.0) - (944.0 + 1000.0)).abs() < 1e-9);
        assert!((text_width("iW", Font::Courier, 10.0) - 12.0).abs() < 1e-9);
    }

    /// A deterministic generator of French-ish text with words of all lengths.
    fn words(seed: u64, count: usize) -> String {
        const SYLLABLES: [&str; 12] = ["ré", "no", "va", "tion", "œu", "vre", "ç", "WWW", "mé", "ll", "«", "—"];
        let mut state = seed;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let mut text = String::new();
        for _ in 0..count {
            let length = if next() % 20 == 0 { 30 + next() % 40 } else { 1 + next() % 5 };
            for _ in 0..length {
                text.push_str(SYLLABLES[next() % SYLLABLES.len()]);
            }
            text.push(if next() % 9 == 0 { '\u{A0}' } else { ' ' });
        }
        text
    }

    #[test]
    fn wrapped_lines_never_exceed_the_width() {
        for seed in 0..20 {
            let text = encode(&words(seed, 200));
            for font in [Font::Helvetica, Font::HelveticaBold] {
                for width in [12.0, 30.0, 75.5, 120.0, 250.0, CONTENT_WIDTH] {
                    let lines = wrap(&text, font, 10.0, width);
                    for line in &lines {
                        assert!(encoded_width(line, font, 10.0) <= width + 1e-9, "{width}: {line:?}");
                        assert!(!line.starts_with(b" ") && !line.ends_with(b" "));
                    }
                    // Nothing lost but the spaces where lines break.
                    let kept: Vec<u8> = lines.concat().into_iter().filter(|&b| b != b' ').collect();
                    let given: Vec<u8> = text.iter().copied().filter(|&b| b != b' ').collect();
                    assert_eq!(kept, given);
                }
            }
        }
        let lines = wrap_chars(&[b'a'; 200], MONO_SIZE, CONTENT_WIDTH);
        assert!(lines.iter().all(|line| encoded_width(line, Font::Courier, MONO_SIZE) <= CONTENT_WIDTH));
        assert_eq!(lines.concat().len(), 200);
        assert_eq!(wrap(b"a\n\nb", Font::Helvetica, 10.0, 100.0), vec![b"a".to_vec(), vec![], b"b".to_vec()]);
        let cut = with_ellipsis(&encode("Rénovation énergétique"), Font::Helvetica, 9.0, 40.0);
        assert!(cut.ends_with(&[ELLIPSIS]) && encoded_width(&cut, Font::Helvetica, 9.0) <= 40.0);
    }

    #[test]
    fn columns_share_the_width() {
        let widths = column_widths(&[20.0, 400.0, 600.0], 480.0);
        assert_eq!(widths[0], 20.0);
        assert_eq!(widths[1], 230.0);
        assert_eq!(widths[2], 230.0);
        let widths = column_widths(&[10.0, 30.0], 80.0);
        assert_eq!(widths, vec![20.0, 60.0]);
    }

    /// A document of several pages of French text in every kind of block.
    fn opening_report() -> Document {
        let mut doc = Document::new("Procès-verbal d’ouverture des plis — « Rénovation énergétique »")
            .heading("Séance d’ouverture")
            .field("Acheteur", "Communauté d’agglomération Cœur d’Essonne")
            .field("Objet", "Rénovation énergétique du gymnase Jean-Zay : isolation, chaufferie, ventilation")
            .field("Montant estimé", "1\u{202F}250\u{202F}000,00 € HT")
            .field("Un libellé très long qui ne laisse pas de place à sa valeur sur la même ligne", "valeur dessous");
        let mut rows = Vec::new();
        for i in 1..=45 {
            rows.push(vec![
                format!("{i:02}"),
                format!("Société n° {i} — Bâtiments & Œuvres d’Île-de-France"),
                format!("{i} mars 2025 à 10 h {i:02}"),
                "Ouvert ; pièces conformes à l’article R. 2143-3 du code de la commande publique".to_owned(),
            ]);
        }
        doc = doc.table(vec!["N°".into(), "Entreprise".into(), "Reçu le".into(), "Décision".into()], rows);
        for i in 0..25 {
            doc = doc.paragraph(format!(
                "Paragraphe {i} : la commission a constaté que le pli était scellé, que l’empreinte \
                 concordait et que l’entreprise « {i} » avait déposé à l’heure ; elle a ensuite procédé \
                 à l’examen des pièces — déclaration sur l’honneur, Kbis, attestations sociales et fiscales."
            ));
        }
        doc.heading("Empreintes")
            .monospace("SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            .paragraph("Caractères hors Windows-1252 : 中")
    }

    #[test]
    fn layout_stays_inside_the_page() {
        let pages = layout(&opening_report());
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for ops in &pages {
            for op in ops {
                match op {
                    Op::Text { x, y, font, size, bytes, .. } => {
                        let right = x + encoded_width(bytes, *font, *size);
                        assert!(
                            *x >= MARGIN_X - 1e-9 && right <= PAGE_WIDTH - MARGIN_X + 1e-9,
                            "{bytes:?} at {x}..{right}"
                        );
                        assert!(*y >= FOOTER_BASELINE - 1e-9 && *y <= TOP, "{bytes:?} at y {y}");
                    }
                    Op::Rect { x, y, width, height, .. } => {
                        assert!(*x >= MARGIN_X - 1e-9 && x + width <= PAGE_WIDTH - MARGIN_X + 1e-6);
                        assert!(*y >= MARGIN_BOTTOM - 1e-9 && y + height <= TOP + 1e-9);
                    }
                    Op::Rule { x, width, .. } => assert!(*x >= MARGIN_X && x + width <= PAGE_WIDTH - MARGIN_X + 1e-9),
                }
            }
        }
    }

    fn temp_pdf(name: &str, bytes: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("halle-pdf-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn on_path(program: &str) -> bool {
        std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
    }

    /// Whitespace-separated words, no-break spaces counted as spaces.
    fn normalized(text: &str) -> Vec<String> {
        text.replace(['\u{A0}', '\u{202F}'], " ").split_whitespace().map(str::to_owned).collect()
    }

    /// The words of `needle` appear in `haystack` in order (other text, like a footer at a page
    /// break, may come between).
    fn in_order(haystack: &[String], needle: &str) -> bool {
        let mut rest = haystack.iter();
        normalized(needle).iter().all(|word| rest.any(|w| w == word))
    }

    #[test]
    fn poppler_reads_the_text_back() {
        assert!(
            on_path("pdftotext") && on_path("pdfinfo"),
            "pdftotext and pdfinfo are missing: install poppler-utils (`apt-get install poppler-utils`, \
             which `cargo xtask test` does)"
        );
        let doc = opening_report();
        let pages = layout(&doc).len();
        let path = temp_pdf("poppler-report", &render(&doc));

        let info = Command::new("pdfinfo").arg("-enc").arg("UTF-8").arg(&path).output().unwrap();
        assert!(info.status.success(), "pdfinfo: {}", String::from_utf8_lossy(&info.stderr));
        let info = String::from_utf8(info.stdout).unwrap();
        assert!(info.lines().any(|l| normalized(l) == ["Pages:", &pages.to_string()]), "{pages} pages in\n{info}");
        assert!(info.contains("Procès-verbal d’ouverture des plis — « Rénovation énergétique »"), "{info}");

        let output = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
        assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(text.matches('\u{c}').count(), pages, "one form feed per page");
        let flat = normalized(&text).join(" ");
        let words = normalized(&text);
        for expected in [
            "Procès-verbal d’ouverture des plis — « Rénovation énergétique »",
            "Séance d’ouverture",
            "Acheteur : Communauté d’agglomération Cœur d’Essonne",
            "1 250 000,00 € HT",
            "Société n° 45 — Bâtiments & Œuvres d’Île-de-France",
            "Caractères hors Windows-1252 : ?",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "page 1 / ",
        ] {
            assert!(flat.contains(&normalized(expected).join(" ")), "{expected:?} missing from\n{text}");
        }
        assert!(flat.contains(&format!("page {pages} / {pages}")));
        for block in &doc.blocks {
            if let Block::Paragraph(paragraph) = block {
                let paragraph = paragraph.replace('中', "?");
                assert!(in_order(&words, &paragraph), "{paragraph:?} missing from\n{text}");
            }
        }
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn qpdf_finds_no_error() {
        if !on_path("qpdf") {
            eprintln!("qpdf is not installed: check skipped");
            return;
        }
        for (name, doc) in [("receipt", receipt()), ("report", opening_report()), ("empty", Document::default())] {
            let path = temp_pdf(&format!("qpdf-{name}"), &render(&doc));
            let output = Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                output.status.success(),
                "qpdf --check {name}: {stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(stdout.contains("No syntax or stream encoding errors found"), "{stdout}");
            std::fs::remove_file(&path).unwrap();
        }
    }
}
